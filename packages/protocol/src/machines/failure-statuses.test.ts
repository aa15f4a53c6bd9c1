import { describe, expect, it } from 'vitest';
import {
  ALL_NODE_STATUSES,
  COMMISSIONING_LIKE_STATUSES,
  DEFAULT_NODE_TIMEOUT_MINUTES,
  NODE_STATUS as S,
  RELEASABLE_STATUSES,
  canTransition,
  failedStatusFor,
  isFailedStatus,
  statusExpiresAt,
  timedOutStatus,
  timeoutMinutesFor,
} from './index.js';

// Spec §4.2 "Timeout monitor" plus MAAS's failure map (DISK_ERASING fails, but is not timed).
const FAILURES: [number, number][] = [
  [S.COMMISSIONING, S.FAILED_COMMISSIONING],
  [S.DEPLOYING, S.FAILED_DEPLOYMENT],
  [S.RELEASING, S.FAILED_RELEASING],
  [S.DISK_ERASING, S.FAILED_DISK_ERASING],
  [S.ENTERING_RESCUE_MODE, S.FAILED_ENTERING_RESCUE_MODE],
  [S.EXITING_RESCUE_MODE, S.FAILED_EXITING_RESCUE_MODE],
  [S.TESTING, S.FAILED_TESTING],
];
const TIMEOUTS: [number, number | undefined][] = [
  [S.COMMISSIONING, 30],
  [S.DEPLOYING, 30],
  [S.RELEASING, 5],
  [S.ENTERING_RESCUE_MODE, 30],
  [S.EXITING_RESCUE_MODE, 5],
  [S.TESTING, 30],
  [S.DISK_ERASING, undefined],
  [S.READY, undefined],
  [S.DEPLOYED, undefined],
];

describe('failure and timeout statuses', () => {
  it.each(ALL_NODE_STATUSES)('failedStatusFor(%d) follows the failure map', (status) => {
    const pair = FAILURES.find(([from]) => from === status);
    expect(failedStatusFor(status)).toBe(pair?.[1]);
    expect(isFailedStatus(status)).toBe(FAILURES.some(([, failed]) => failed === status));
  });

  it('only fails into statuses the transition table allows', () => {
    for (const [from, to] of FAILURES) {
      expect(canTransition(from as never, to as never)).toBe(true);
    }
  });

  it.each(TIMEOUTS)('status %d times out after %s minutes by default', (status, minutes) => {
    expect(DEFAULT_NODE_TIMEOUT_MINUTES).toBe(30);
    expect(timeoutMinutesFor(status as never)).toBe(minutes);
  });

  it('uses node_timeout for unfixed statuses only', () => {
    expect(timeoutMinutesFor(S.DEPLOYING, 45)).toBe(45);
    expect(timeoutMinutesFor(S.RELEASING, 45)).toBe(5);
    expect(timeoutMinutesFor(S.READY, 45)).toBeUndefined();
  });

  it('computes expiry and moves only expired monitored machines', () => {
    const since = Date.UTC(2026, 0, 1);
    const expiry = statusExpiresAt(S.DEPLOYING, since, 10);
    expect(expiry).toBe(since + 10 * 60_000);
    expect(statusExpiresAt(S.DEPLOYING, since)).toBe(since + 30 * 60_000);
    expect(statusExpiresAt(S.READY, since)).toBeUndefined();
    expect(timedOutStatus(S.DEPLOYING, expiry!, expiry! - 1)).toBeUndefined();
    expect(timedOutStatus(S.DEPLOYING, expiry!, expiry!)).toBe(S.FAILED_DEPLOYMENT);
    expect(timedOutStatus(S.COMMISSIONING, 0, 1)).toBe(S.FAILED_COMMISSIONING);
    expect(timedOutStatus(S.DISK_ERASING, 0, 1)).toBeUndefined();
  });

  it('lists commissioning-like and releasable statuses as MAAS does', () => {
    expect([...COMMISSIONING_LIKE_STATUSES].sort((a, b) => a - b)).toEqual([
      0, 1, 12, 14, 16, 17, 21,
    ]);
    expect([...RELEASABLE_STATUSES].sort((a, b) => a - b)).toEqual([5, 6, 8, 9, 10, 11, 13, 15]);
  });
});
