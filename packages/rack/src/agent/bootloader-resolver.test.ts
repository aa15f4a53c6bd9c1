import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBootloaderResolver } from './bootloader-resolver.js';

const asked = { path: 'bootx64.efi', remoteAddress: '10.0.0.50' };

describe('bootloader resolver against a region over HTTP', () => {
  let dir: string;
  let server: Server;
  let provided = true;
  let base: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-bootloaders-'));
    provided = true;
    server = createServer((req, res) => {
      if (provided && req.url === '/MAAS/boot-resources/bootloaders/uefi/amd64/bootx64.efi') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('shim v1');
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('mirrors a bootloader, then drops the mirror copy once the region withdraws it', async () => {
    const resolver = createBootloaderResolver({
      mirrorDir: dir,
      regionUrls: () => [base],
      logger: pino({ level: 'silent' }),
      refreshMs: 0,
    });
    const first = await resolver.resolve('bootx64.efi', asked);
    expect(first).toEqual({ file: join(dir, 'uefi/amd64/bootx64.efi') });
    expect(await readFile(join(dir, 'uefi/amd64/bootx64.efi'), 'utf8')).toBe('shim v1');

    provided = false;
    expect(await resolver.resolve('bootx64.efi', asked)).toBeUndefined();
    await expect(stat(join(dir, 'uefi/amd64/bootx64.efi'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('keeps serving its mirror copy while no region answers at all', async () => {
    const resolver = createBootloaderResolver({
      mirrorDir: dir,
      regionUrls: () => [base],
      logger: pino({ level: 'silent' }),
      refreshMs: 0,
    });
    await resolver.resolve('bootx64.efi', asked);
    await new Promise((resolve) => server.close(resolve));
    expect(await resolver.resolve('bootx64.efi', asked)).toEqual({
      file: join(dir, 'uefi/amd64/bootx64.efi'),
    });
    server = createServer();
  });
});
