/**
 * Size strings as MAAS's storage API accepts them: plain bytes, a decimal (SI, powers of 1000)
 * suffix K/M/G/T, or a percentage of a whole. Returns an error message instead of throwing so the
 * caller can collect every field's problem into one 400 answer.
 */
const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

export type SizeResult = { ok: true; bytes: number } | { ok: false; message: string };

export function parseSize(raw: string | number, whole: number): SizeResult {
  const text = String(raw).trim();
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (percent) {
    const value = Number(percent[1]);
    if (value <= 0 || value > 100) return { ok: false, message: 'Percentage must be in (0, 100].' };
    return { ok: true, bytes: Math.floor((whole * value) / 100) };
  }
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)B?$/i.exec(text);
  if (!match) {
    return { ok: false, message: `'${text}' is not a size (bytes, K/M/G/T suffix, or N%).` };
  }
  const unit = UNITS[(match[2] ?? '').toUpperCase()] ?? 1;
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes <= 0) return { ok: false, message: 'Size must be greater than zero.' };
  return { ok: true, bytes };
}

export const MIB = 1024 * 1024;

export function bytesToMib(bytes: number): number {
  return Math.floor(bytes / MIB);
}
