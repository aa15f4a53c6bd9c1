import { LOG_FORMATS, LOG_LEVELS, type SettingDeclaration, type SettingType } from './settings.js';

/** A parsed value, or the reason the raw value was rejected (phrased to follow the setting name). */
export type ParseResult = { ok: true; value: unknown } | { ok: false; problem: string };

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1000 ** 4,
  tib: 1024 ** 4,
};

function parseInteger(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : null;
  if (typeof raw !== 'string' || !/^\s*-?\d+\s*$/.test(raw)) return null;
  const value = Number(raw.trim());
  return Number.isSafeInteger(value) ? value : null;
}

function parseSize(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : null;
  if (typeof raw !== 'string') return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(raw);
  if (!match) return null;
  const unit = SIZE_UNITS[(match[2] ?? '').toLowerCase()];
  if (unit === undefined) return null;
  const value = Math.floor(Number(match[1]) * unit);
  return Number.isSafeInteger(value) ? value : null;
}

function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function parseByType(type: SettingType, raw: unknown): ParseResult {
  switch (type) {
    case 'string':
      if (typeof raw === 'string' || typeof raw === 'number')
        return { ok: true, value: String(raw) };
      return { ok: false, problem: 'must be a string' };
    case 'integer': {
      const value = parseInteger(raw);
      return value === null ? { ok: false, problem: 'must be an integer' } : { ok: true, value };
    }
    case 'port': {
      const value = parseInteger(raw);
      if (value === null || value < 0 || value > 65535) {
        return { ok: false, problem: 'must be a port number between 0 and 65535' };
      }
      return { ok: true, value };
    }
    case 'size': {
      const value = parseSize(raw);
      return value === null
        ? {
            ok: false,
            problem: 'must be a size in bytes, optionally with a unit such as 512M or 4GiB',
          }
        : { ok: true, value };
    }
    case 'url':
      if (typeof raw === 'string' && isHttpUrl(raw)) return { ok: true, value: raw };
      return { ok: false, problem: 'must be an http:// or https:// URL' };
    case 'url-list': {
      const items: readonly unknown[] | null =
        typeof raw === 'string'
          ? raw
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '')
          : Array.isArray(raw)
            ? (raw as unknown[])
            : null;
      if (items === null || items.length === 0)
        return { ok: false, problem: 'must list at least one URL' };
      const bad = items.find((item) => typeof item !== 'string' || !isHttpUrl(item));
      if (bad !== undefined)
        return { ok: false, problem: `contains an invalid URL: ${JSON.stringify(bad)}` };
      return { ok: true, value: Object.freeze([...(items as string[])]) };
    }
    case 'log-level':
      if (typeof raw === 'string' && (LOG_LEVELS as readonly string[]).includes(raw))
        return { ok: true, value: raw };
      return { ok: false, problem: `must be one of ${LOG_LEVELS.join(', ')}` };
    case 'log-format':
      if (typeof raw === 'string' && (LOG_FORMATS as readonly string[]).includes(raw))
        return { ok: true, value: raw };
      return { ok: false, problem: `must be one of ${LOG_FORMATS.join(', ')}` };
  }
}

export function parseSettingValue(declaration: SettingDeclaration, raw: unknown): ParseResult {
  const result = parseByType(declaration.type, raw);
  if (
    result.ok &&
    declaration.min !== undefined &&
    typeof result.value === 'number' &&
    result.value < declaration.min
  ) {
    return { ok: false, problem: `must be at least ${declaration.min}` };
  }
  return result;
}
