import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAppError, silentLogger } from '@kiln/node-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegionApi } from './region-api.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** A region that holds every request until `release()`; counts requests and closed sockets. */
async function holdingRegion() {
  const held: ServerResponse[] = [];
  const state = { requests: 0, closed: 0 };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.requests += 1;
    req.socket.once('close', () => (state.closed += 1));
    req.resume();
    held.push(res);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    release: () => {
      for (const res of held.splice(0)) res.writeHead(200).end('{"ok":true}');
    },
  };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 1_000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('rack region API under many concurrent requests', () => {
  it('holds 40 requests in flight without an abort-listener warning, then answers them all', async () => {
    const region = await holdingRegion();
    const api = createRegionApi({ regionUrls: [region.url], secret: 's', logger: silentLogger() });
    cleanups.push(() => Promise.resolve(api.close()));
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    cleanups.push(() => Promise.resolve(process.off('warning', onWarning)));
    const answers = Array.from({ length: 40 }, (_, i) =>
      api.postJson('internal/boot-config/', { i }),
    );
    // 16 sockets to the region: the rest wait in the agent.
    await until(() => region.state.requests === 16);
    region.release();
    await until(() => region.state.requests === 32);
    region.release();
    await until(() => region.state.requests === 40);
    region.release();
    expect(await Promise.all(answers)).toEqual(answers.map(() => ({ ok: true })));
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('close() ends the requests in flight and refuses new ones', async () => {
    const region = await holdingRegion();
    const api = createRegionApi({ regionUrls: [region.url], secret: 's', logger: silentLogger() });
    const pending = Array.from({ length: 3 }, () =>
      api.postJson('internal/boot-config/', {}).then(
        () => 'answered',
        (error: unknown) => (isAppError(error) ? error.code : String(error)),
      ),
    );
    await until(() => region.state.requests === 3);
    api.close();
    expect(await Promise.all(pending)).toEqual([
      'RACK_AGENT_STOPPING',
      'RACK_AGENT_STOPPING',
      'RACK_AGENT_STOPPING',
    ]);
    await until(() => region.state.closed === 3);
    await expect(api.postJson('internal/boot-config/', {})).rejects.toMatchObject({
      code: 'RACK_AGENT_STOPPING',
    });
  });
});
