import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QmpSession } from './qmp-session.js';

// Misbehaving QMP peers that a healthy QEMU never imitates (the happy path runs against the real
// QEMU in qemu-power.test.ts).
let server: Server | undefined;
let dir: string | undefined;

async function peer(onConnection: (socket: Socket) => void): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'kiln-qmp-'));
  const path = join(dir, 'qmp.sock');
  server = createServer(onConnection);
  await new Promise<void>((resolve) => server?.listen(path, resolve));
  return path;
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

const GREETING = '{"QMP": {"version": {}, "capabilities": []}}\n';

describe('QmpSession error handling', () => {
  it('times out a peer that never greets', async () => {
    const path = await peer(() => undefined);
    await expect(QmpSession.open(path, new AbortController().signal, 100)).rejects.toMatchObject({
      code: 'POWER_ACTION_TIMEOUT',
      message: expect.stringContaining('did not answer greeting within 100 ms') as unknown,
    });
  });

  it('rejects a peer that does not speak JSON', async () => {
    const path = await peer((socket) => socket.write('Welcome to the BMC shell\n'));
    await expect(QmpSession.open(path, new AbortController().signal)).rejects.toThrow(
      'sent something that is not QMP',
    );
  });

  it('skips events and answers for other ids, and reports a dropped connection', async () => {
    const path = await peer((socket) => {
      socket.write(GREETING);
      socket.on('data', (data: Buffer) => {
        const { id, execute } = JSON.parse(data.toString()) as { id: number; execute: string };
        if (execute === 'qmp_capabilities') {
          socket.write(`{"event": "RESET", "data": {}}\n{"return": {}, "id": ${id + 100}}\n\n`);
          socket.write(`{"return": {}, "id": ${id}}\n`);
        } else socket.destroy();
      });
    });
    const session = await QmpSession.open(path, new AbortController().signal);
    await expect(session.execute('query-status')).rejects.toMatchObject({
      code: 'POWER_ACTION_FAILED',
      message: expect.stringContaining('connection closed') as unknown,
    });
    await expect(session.execute('query-status')).rejects.toThrow('connection closed');
  });

  it('does not connect when already aborted, and aborts a pending greeting', async () => {
    const path = await peer(() => undefined);
    const aborted = new AbortController();
    aborted.abort();
    await expect(QmpSession.open(path, aborted.signal)).rejects.toMatchObject({
      code: 'POWER_ACTION_ABORTED',
    });
    const later = new AbortController();
    const opening = QmpSession.open(path, later.signal);
    later.abort();
    await expect(opening).rejects.toMatchObject({ code: 'POWER_ACTION_ABORTED' });
  });
});
