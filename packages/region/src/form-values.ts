const TRUE = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['false', '0', 'no', 'off', 'f', 'n', '']);

/** Django-style boolean text (`true`, `1`, `on`, ... / `false`, `0`, `off`, `''`); null when neither. */
export function parseBoolean(value: string): boolean | null {
  const lowered = value.trim().toLowerCase();
  if (TRUE.has(lowered)) return true;
  if (FALSE.has(lowered)) return false;
  return null;
}
