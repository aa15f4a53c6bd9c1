import { Counter, Registry } from 'prom-client';

/**
 * How boot answers were obtained: from the cache, from the region, or by joining a region lookup
 * already in flight; a boot storm shows up as a high `shared` and `cache` share.
 */
export interface BootAnswerMetrics {
  readonly answers: Counter<'via'>;
  readonly invalidations: Counter;
}

export function createBootAnswerMetrics(registry: Registry = new Registry()): BootAnswerMetrics {
  const registers = [registry];
  return {
    answers: new Counter({
      name: 'kiln_rack_boot_answers_total',
      help: 'Boot purpose lookups by how they were answered (cache, region, shared)',
      labelNames: ['via'],
      registers,
    }),
    invalidations: new Counter({
      name: 'kiln_rack_boot_answer_invalidations_total',
      help: 'State-change notifications that dropped cached boot answers',
      registers,
    }),
  };
}
