/** Timestamps are stored as ISO-8601 UTC text so they compare and sort the same on both dialects. */
export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}

/** MAAS renders datetimes without zone and with milliseconds: `2018-12-04T18:11:31.894`. */
export function maasDateTime(iso: string): string {
  return iso.endsWith('Z') ? iso.slice(0, -1) : iso;
}
