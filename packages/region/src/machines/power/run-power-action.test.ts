import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@kiln/node-kit';
import {
  backoffDelay,
  isRetryablePowerError,
  manualPowerDriver,
  runPowerAction,
  validatePowerParameters,
  webhookPowerDriver,
  type PowerEventRecord,
  type RunPowerActionOptions,
} from './index.js';

// A webhook endpoint that fails the first `failuresLeft` requests with 503.
let server: Server;
let base: string;
let failuresLeft = 0;
let requests = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    requests++;
    if (failuresLeft > 0) {
      failuresLeft--;
      res.writeHead(503).end('busy');
    } else res.end('{"status": "running"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  failuresLeft = 0;
  requests = 0;
});

const params = () =>
  validatePowerParameters(webhookPowerDriver, {
    power_on_uri: `${base}/on`,
    power_off_uri: `${base}/off`,
    power_query_uri: `${base}/status`,
  });

function harness(overrides: Partial<RunPowerActionOptions> = {}) {
  const events: PowerEventRecord[] = [];
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const options: RunPowerActionOptions = {
    systemId: 'abc123',
    logger,
    recordEvent: (e) => void events.push(e),
    backoff: { initialMs: 1 },
    ...overrides,
  };
  return { events, logs, options };
}

describe('runPowerAction', () => {
  it('records the start and the success of a power on', async () => {
    const { events, options } = harness();
    expect(await runPowerAction(webhookPowerDriver, 'on', params(), options)).toEqual({
      attempts: 1,
    });
    expect(events).toEqual([
      expect.objectContaining({ type: 'Powering on', level: 'INFO', attempt: 1, action: 'on' }),
      expect.objectContaining({
        type: 'Node powered on',
        level: 'INFO',
        systemId: 'abc123',
        powerType: 'webhook',
      }),
    ]);
  });

  it('retries with backoff, logging each failed attempt, and succeeds', async () => {
    failuresLeft = 2;
    const { events, logs, options } = harness({ backoff: { initialMs: 5, factor: 3 } });
    expect(await runPowerAction(webhookPowerDriver, 'off', params(), options)).toEqual({
      attempts: 3,
    });
    expect(requests).toBe(3);
    expect(events.map((e) => `${e.type}/${e.level}/${e.attempt}`)).toEqual([
      'Powering off/INFO/1',
      'Failed to power off node/WARNING/1',
      'Failed to power off node/WARNING/2',
      'Node powered off/INFO/3',
    ]);
    expect(events[1]?.description).toBe(
      'attempt 1 of 4 failed: Request failed with response status code: 503.; retrying in 5 ms',
    );
    expect(events[2]?.description).toContain('retrying in 15 ms');
    expect(logs.filter((l) => l.msg === 'power action attempt failed, retrying')).toHaveLength(2);
    expect(logs[0]).toMatchObject({ machineId: 'abc123', powerType: 'webhook' });
  });

  it('gives up after the configured retries with the last error', async () => {
    failuresLeft = 10;
    const { events, options } = harness({ retries: 1 });
    await expect(
      runPowerAction(webhookPowerDriver, 'query', params(), options),
    ).rejects.toMatchObject({
      code: 'POWER_ACTION_FAILED',
    });
    expect(requests).toBe(2);
    expect(events.map((e) => `${e.level}/${e.errorCode ?? ''}`)).toEqual([
      'WARNING/POWER_ACTION_FAILED',
      'WARNING/POWER_ACTION_FAILED',
    ]);
    expect(events[1]?.description).toBe('Request failed with response status code: 503.');
  });

  it('stops waiting for the next attempt when aborted', async () => {
    failuresLeft = 10;
    const controller = new AbortController();
    const { options } = harness({
      signal: controller.signal,
      backoff: { initialMs: 60_000 },
      recordEvent: (e) => {
        if (e.level === 'WARNING') controller.abort();
      },
    });
    await expect(runPowerAction(webhookPowerDriver, 'on', params(), options)).rejects.toMatchObject(
      {
        code: 'POWER_ACTION_ABORTED',
      },
    );
    expect(requests).toBe(1);
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { options } = harness({ signal: controller.signal });
    await expect(
      runPowerAction(webhookPowerDriver, 'query', params(), options),
    ).rejects.toMatchObject({
      code: 'POWER_ACTION_ABORTED',
    });
    expect(requests).toBe(0);
  });

  it('keeps going when the event log fails, and logs that', async () => {
    const { logs, options } = harness({
      recordEvent: () => Promise.reject(new Error('database is locked')),
    });
    expect(await runPowerAction(webhookPowerDriver, 'query', params(), options)).toEqual({
      attempts: 1,
      state: 'on',
    });
    expect(logs).toContainEqual(
      expect.objectContaining({
        msg: 'could not record power event',
        eventType: "Queried node's BMC",
      }),
    );
  });

  it('tells the operator to act for manual machines', async () => {
    const { events, logs, options } = harness();
    await runPowerAction(manualPowerDriver, 'on', {}, options);
    await runPowerAction(manualPowerDriver, 'off', {}, options);
    expect(events[0]?.description).toBe(
      'Powering on via manual (manual: the operator must do this by hand)',
    );
    expect(events.map((e) => e.type)).toEqual([
      'Powering on',
      'Node powered on',
      'Powering off',
      'Node powered off',
    ]);
    expect(logs.map((l) => l.msg)).toContain(
      'manual power: the operator must power this machine on',
    );
    expect(logs.map((l) => l.msg)).toContain(
      'manual power: the operator must power this machine off',
    );
    expect(await runPowerAction(manualPowerDriver, 'query', {}, options)).toEqual({
      attempts: 1,
      state: 'unknown',
    });
  });
});

describe('retry policy', () => {
  it.each([
    [1, {}, 1000],
    [2, {}, 2000],
    [6, {}, 30_000],
    [3, { initialMs: 100, factor: 10, maxMs: 5000 }, 5000],
    [2, { initialMs: 100, factor: 10, maxMs: 5000 }, 1000],
  ])('retry %d with %j waits %d ms', (retry, backoff, ms) => {
    expect(backoffDelay(retry, backoff)).toBe(ms);
  });

  it.each([
    ['POWER_ACTION_FAILED', true],
    ['POWER_ACTION_TIMEOUT', true],
    ['POWER_AUTH_FAILED', false],
    ['POWER_TOOL_MISSING', false],
    ['POWER_ACTION_ABORTED', false],
    ['POWER_PARAMETERS_INVALID', false],
    ['IMAGE_FILE_NOT_FOUND', false],
  ] as const)('%s retryable: %s', (code, retryable) => {
    expect(isRetryablePowerError(new AppError(code, 'x'))).toBe(retryable);
  });

  it('never retries programming errors', () => {
    expect(isRetryablePowerError(new TypeError('undefined is not a function'))).toBe(false);
  });
});
