import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { Registry } from 'prom-client';
import { createTftpServer, type TftpServer } from './server.js';
import type { TftpResolver, TftpTunables } from './server-options.js';
import { bufferSource } from './sources.js';

/** A server on 127.0.0.1 (random port) serving in-memory files; records what reached the resolver. */
export interface TestServer {
  readonly server: TftpServer;
  readonly port: number;
  readonly resolved: string[];
}

export async function startTestServer(
  files: Readonly<Record<string, Buffer>>,
  tunables: TftpTunables & { resolve?: TftpResolver; registry?: Registry } = {},
): Promise<TestServer> {
  const resolved: string[] = [];
  const fallback: TftpResolver = (path) => {
    const data = files[path];
    return Promise.resolve(data === undefined ? null : bufferSource(data));
  };
  const resolve = tunables.resolve ?? fallback;
  const server = await createTftpServer({
    timeoutMs: 200,
    ...tunables,
    port: 0,
    address: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    resolve: (path, client) => {
      resolved.push(path);
      return resolve(path, client);
    },
  });
  return { server, port: server.address().port, resolved };
}

/** Deterministic-length random payloads, so every byte position is checked. */
export function payload(size: number): Buffer {
  return randomBytes(size);
}

/** Polls until `check` holds: transfers end asynchronously after their last packet. */
export async function eventually(check: () => boolean, waitMs = 5000): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Byte comparison without vitest's element-by-element deep equality, which is slow on large buffers. */
export function expectSameBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
}
