import { Counter, Gauge, Histogram, type Metric, type Registry } from 'prom-client';

/** Prometheus metrics of the image import; registered into the region's registry by the routes. */
export class ImportMetrics {
  readonly bytesDownloaded = new Counter({
    name: 'kiln_region_image_bytes_downloaded_total',
    help: 'Bytes of boot resource files downloaded from boot sources (resumed bytes not counted twice).',
    registers: [],
  });
  readonly filesVerified = new Counter({
    name: 'kiln_region_image_files_verified_total',
    help: 'Boot resource files whose sha256 and size matched and were published to the store.',
    registers: [],
  });
  readonly verificationFailures = new Counter({
    name: 'kiln_region_image_verification_failures_total',
    help: 'Boot resource files refused because their sha256 or size did not match.',
    registers: [],
  });
  readonly corruptAtRest = new Counter({
    name: 'kiln_region_image_corrupt_files_total',
    help: 'Stored files found corrupt at rest (wrong size or sha256) when served, quarantined and repaired.',
    registers: [],
  });
  readonly verifiedAtRest = new Counter({
    name: 'kiln_region_image_files_verified_at_rest_total',
    help: 'Stored files re-hashed on their first serve since the region started and found good.',
    registers: [],
  });
  readonly importDuration = new Histogram({
    name: 'kiln_region_image_import_duration_seconds',
    help: 'Duration of image imports, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: [1, 10, 30, 60, 300, 900, 1800, 3600, 7200],
    registers: [],
  });
  readonly importing = new Gauge({
    name: 'kiln_region_image_import_running',
    help: '1 while this region runs an image import.',
    registers: [],
  });

  registerInto(registry: Registry): void {
    const metrics: Metric[] = [
      this.bytesDownloaded,
      this.filesVerified,
      this.verificationFailures,
      this.corruptAtRest,
      this.verifiedAtRest,
      this.importDuration,
      this.importing,
    ];
    for (const metric of metrics) {
      // One region per registry; a second app on the same context must not register twice.
      if (!(registry.getMetricsAsArray() as unknown[]).includes(metric))
        registry.registerMetric(metric);
    }
  }
}
