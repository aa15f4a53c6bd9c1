/**
 * Region base URLs in the order to try them: the last one that worked first, so a dead region
 * costs one failed connection per fetch at most once, then is skipped until others fail too.
 */
export class RegionUrlTracker {
  private preferred: string | undefined;

  constructor(private readonly source: readonly string[] | (() => readonly string[])) {}

  ordered(): string[] {
    const urls = (typeof this.source === 'function' ? this.source() : this.source).map(
      normalizeRegionUrl,
    );
    const preferred = this.preferred;
    if (preferred === undefined || !urls.includes(preferred)) return urls;
    return [preferred, ...urls.filter((url) => url !== preferred)];
  }

  markGood(url: string): void {
    this.preferred = url;
  }
}

/** Accepts `http://host:5240`, `http://host:5240/` and `http://host:5240/MAAS/`. */
export function normalizeRegionUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/MAAS$/i, '');
}
