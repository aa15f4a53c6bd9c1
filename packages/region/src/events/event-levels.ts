/** MAAS event levels (Python logging numbers, plus AUDIT). */
export const EVENT_LEVELS = {
  AUDIT: 0,
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
  CRITICAL: 50,
} as const;
export type EventLevelName = keyof typeof EVENT_LEVELS;

export function levelName(level: number): EventLevelName {
  const found = (Object.entries(EVENT_LEVELS) as [EventLevelName, number][]).find(
    ([, n]) => n === level,
  );
  return found?.[0] ?? 'INFO';
}
