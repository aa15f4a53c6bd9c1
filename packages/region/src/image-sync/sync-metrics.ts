import { Counter, Gauge, type Registry } from 'prom-client';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import './tables.js';

/**
 * Prometheus metrics of image sync. Byte counters are this process's; the job gauge is read
 * from the shared table at scrape time, so any region's /metrics shows every region's queue.
 */
export class SyncMetrics {
  readonly upstreamBytes: Counter<'region'>;
  readonly peerBytes: Counter<'region' | 'source'>;
  readonly jobs: Gauge<'region' | 'kind' | 'state'>;

  constructor(db: Kysely<Database>) {
    this.upstreamBytes = new Counter({
      name: 'kiln_image_sync_upstream_bytes_total',
      help: 'Bytes of image files this region fetched from boot sources (upstream jobs).',
      labelNames: ['region'],
      registers: [],
    });
    this.peerBytes = new Counter({
      name: 'kiln_image_sync_peer_bytes_total',
      help: 'Bytes of image files this region copied from other regions, by source region.',
      labelNames: ['region', 'source'],
      registers: [],
    });
    this.jobs = new Gauge({
      name: 'kiln_image_sync_jobs',
      help: 'Transfer jobs by region (target of peer jobs, holder of running upstream ones; "any" for queued upstream), kind and state (queued, running, failed).',
      labelNames: ['region', 'kind', 'state'],
      registers: [],
      async collect() {
        const rows = await db
          .selectFrom('transfer_jobs')
          .select(['kind', 'state', 'target_region', 'lease_owner'])
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('state', 'in', ['queued', 'running', 'failed'])
          .groupBy(['kind', 'state', 'target_region', 'lease_owner'])
          .execute();
        this.reset();
        for (const row of rows) {
          const region =
            row.kind === 'peer'
              ? row.target_region
              : row.state === 'queued'
                ? 'any'
                : (row.lease_owner ?? 'any');
          this.inc({ region, kind: row.kind, state: row.state }, row.n);
        }
      },
    });
  }

  registerInto(registry: Registry): void {
    for (const metric of [this.upstreamBytes, this.peerBytes, this.jobs])
      if (!(registry.getMetricsAsArray() as unknown[]).includes(metric))
        registry.registerMetric(metric);
  }
}
