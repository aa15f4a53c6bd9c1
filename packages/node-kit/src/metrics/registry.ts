import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  readonly registry: Registry;
  /** Records one finished request; `route` is the route pattern, never the raw URL (bounded labels). */
  observe(method: string, route: string, status: number, seconds: number): void;
}

/**
 * One registry per server (region, rack) rather than prom-client's global one, so two servers in
 * one process (kiln start, tests) do not collide on metric names.
 */
export function createHttpMetrics(prefix: string): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: `${prefix}_` });
  const requests = new Counter({
    name: `${prefix}_http_requests_total`,
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: `${prefix}_http_request_duration_seconds`,
    help: 'Time to answer HTTP requests, by method and route.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observe(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      durations.observe({ method, route }, seconds);
    },
  };
}
