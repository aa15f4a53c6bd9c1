import { describe, expect, it } from 'vitest';
import { createHttpMetrics } from './registry.js';

describe('createHttpMetrics', () => {
  it('counts requests per route and keeps registries apart', async () => {
    const a = createHttpMetrics('kiln_test');
    const b = createHttpMetrics('kiln_test');
    a.observe('GET', '/x/', 200, 0.01);
    a.observe('GET', '/x/', 200, 0.02);
    const text = await a.registry.metrics();
    expect(text).toContain(
      'kiln_test_http_requests_total{method="GET",route="/x/",status="200"} 2',
    );
    expect(text).toContain(
      'kiln_test_http_request_duration_seconds_count{method="GET",route="/x/"} 2',
    );
    expect(await b.registry.metrics()).not.toContain('route="/x/"');
  });
});
