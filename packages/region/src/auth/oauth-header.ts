/**
 * Parses `Authorization: OAuth k="v", ...` into its parameters. Clients differ in order, quoting
 * and whether `realm` is present, so the parser is order-free and tolerant of spacing.
 */
export function parseOAuthHeader(header: string): Map<string, string> | null {
  const match = /^\s*OAuth\s+(.*)$/is.exec(header);
  if (!match) return null;
  const params = new Map<string, string>();
  const pattern = /([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|([^\s,]*))/g;
  for (const m of (match[1] ?? '').matchAll(pattern)) {
    const key = m[1];
    if (key === undefined) continue;
    const raw = m[2] ?? m[3] ?? '';
    try {
      params.set(key, decodeURIComponent(raw));
    } catch {
      params.set(key, raw);
    }
  }
  return params;
}
