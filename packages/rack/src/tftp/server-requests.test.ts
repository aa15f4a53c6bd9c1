import { AppError } from '@kiln/node-kit';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { Opcode, TftpErrorCode } from './constants.js';
import { encodeRequest } from './packet-codec.js';
import { createTftpServer } from './server.js';
import type { TftpResolver } from './server-options.js';
import { bufferSource, streamSource, type TftpSource } from './sources.js';
import { fetchFile, TestPeer } from './test-client.js';
import {
  eventually,
  payload,
  startTestServer,
  type TestServer,
  expectSameBytes,
} from './test-fixtures.js';
import { pino } from 'pino';

/** Request handling on the listening socket: names, modes, refusals, resolver outcomes, lifecycle. */
describe('TFTP request handling', () => {
  let running: TestServer | undefined;
  afterEach(async () => {
    await running?.server.close();
    running = undefined;
  });

  async function firstReply(port: number, request: Buffer) {
    const peer = await TestPeer.open();
    try {
      peer.send(request, port);
      return (await peer.expect()).packet;
    } finally {
      await peer.close();
    }
  }

  it.each([
    '../etc/passwd',
    '/../../etc/shadow',
    'grub/../../x',
    '..\\..\\boot.ini',
    'C:\\boot\\pxelinux.0',
    'a\u0001b',
  ])('refuses the escaping path %j with error 2 before resolving it', async (name) => {
    running = await startTestServer({ x: Buffer.from('x') });
    const reply = await firstReply(running.port, encodeRequest(Opcode.RRQ, name, 'octet'));
    expect(reply).toMatchObject({ op: Opcode.ERROR, code: TftpErrorCode.ACCESS_VIOLATION });
    expect(running.resolved).toEqual([]);
  });

  it('answers an empty name with file not found without resolving it', async () => {
    running = await startTestServer({});
    const reply = await firstReply(running.port, encodeRequest(Opcode.RRQ, '/', 'octet'));
    expect(reply).toMatchObject({ op: Opcode.ERROR, code: TftpErrorCode.FILE_NOT_FOUND });
    expect(running.resolved).toEqual([]);
  });

  it('refuses write requests with an access violation: the server is read-only', async () => {
    running = await startTestServer({ x: Buffer.from('x') });
    const reply = await firstReply(running.port, encodeRequest(Opcode.WRQ, 'x', 'octet'));
    expect(reply).toMatchObject({ op: Opcode.ERROR, code: TftpErrorCode.ACCESS_VIOLATION });
    expect(running.resolved).toEqual([]);
  });

  it.each([
    ['an unsupported mode', encodeRequest(Opcode.RRQ, 'x', 'mail')],
    ['a malformed request', Buffer.from([0, 1, 0x78])],
    ['a stray DATA packet', Buffer.from([0, 3, 0, 1, 0x78])],
  ])('answers %s with error 4', async (_name, request) => {
    running = await startTestServer({ x: Buffer.from('x') });
    expect(await firstReply(running.port, request)).toMatchObject({
      op: Opcode.ERROR,
      code: TftpErrorCode.ILLEGAL_OPERATION,
    });
  });

  it('maps backslashes and leading slashes onto the namespace', async () => {
    const data = payload(3000);
    running = await startTestServer({ 'grub/grub.cfg-52-54-00-00-00-01': data });
    const result = await fetchFile(running.port, '\\grub\\grub.cfg-52-54-00-00-00-01');
    expectSameBytes(result.data, data);
    expect(running.resolved).toEqual(['grub/grub.cfg-52-54-00-00-00-01']);
  });

  it('caps blksize so a DATA packet fits the configured path MTU', async () => {
    const data = payload(5000);
    running = await startTestServer({ f: data }, { mtu: 1500 });
    const result = await fetchFile(running.port, 'f', { options: [['blksize', '8192']] });
    expect(result.oack?.get('blksize')).toBe('1468');
    expectSameBytes(result.data, data);
  });

  it('answers a missing file with error 1', async () => {
    running = await startTestServer({});
    expect(
      await firstReply(running.port, encodeRequest(Opcode.RRQ, 'nope', 'octet')),
    ).toMatchObject({
      op: Opcode.ERROR,
      code: TftpErrorCode.FILE_NOT_FOUND,
    });
  });

  it('answers a missing or failing .lst probe with an empty file, but serves a real one', async () => {
    const resolve: TftpResolver = (path) => {
      if (path === 'grub/x86_64-efi/fs.lst') return Promise.reject(new Error('region down'));
      if (path === 'real.lst') return Promise.resolve(bufferSource(Buffer.from('ext2\n')));
      return Promise.resolve(null);
    };
    running = await startTestServer({}, { resolve });
    expect((await fetchFile(running.port, 'grub/x86_64-efi/command.lst')).data).toEqual(
      Buffer.alloc(0),
    );
    expect((await fetchFile(running.port, 'grub/x86_64-efi/fs.lst')).data).toEqual(Buffer.alloc(0));
    expect((await fetchFile(running.port, 'real.lst')).data).toEqual(Buffer.from('ext2\n'));
  });

  it('turns resolver failures into TFTP errors: 404 AppErrors into 1, the rest into 0', async () => {
    const resolve: TftpResolver = (path) =>
      Promise.reject(
        path === 'gone'
          ? new AppError('CACHE_FILE_NOT_FOUND', 'No such boot file')
          : path === 'busy'
            ? new AppError('CACHE_REGION_UNAVAILABLE', 'Region unreachable')
            : new Error('secret internals'),
      );
    running = await startTestServer({}, { resolve });
    const ask = (name: string) =>
      firstReply(running!.port, encodeRequest(Opcode.RRQ, name, 'octet'));
    expect(await ask('gone')).toMatchObject({ code: TftpErrorCode.FILE_NOT_FOUND });
    expect(await ask('busy')).toMatchObject({
      code: TftpErrorCode.NOT_DEFINED,
      message: 'Region unreachable',
    });
    expect(await ask('boom')).toMatchObject({
      code: TftpErrorCode.NOT_DEFINED,
      message: 'Internal server error',
    });
  });

  it('serves netascii with line endings converted and no tsize', async () => {
    running = await startTestServer({
      'pxelinux.cfg/default': Buffer.from('DEFAULT local\nLABEL\r'),
    });
    const result = await fetchFile(running.port, 'pxelinux.cfg/default', {
      options: [['tsize', '0']],
    });
    expect(result.data).toEqual(Buffer.from('DEFAULT local\nLABEL\r'));
    const peer = await TestPeer.open();
    try {
      peer.send(
        encodeRequest(Opcode.RRQ, 'pxelinux.cfg/default', 'NetASCII', [['tsize', '0']]),
        running.port,
      );
      const { packet } = await peer.expect();
      expect(packet).toMatchObject({ op: Opcode.DATA, block: 1 });
      if (packet.op === Opcode.DATA)
        expect(packet.data).toEqual(Buffer.from('DEFAULT local\r\nLABEL\r\0', 'latin1'));
    } finally {
      await peer.close();
    }
  });

  it('serves a file while it is still arriving, leaving tsize out', async () => {
    const data = payload(50_000);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* arriving(): AsyncGenerator<Uint8Array> {
      yield data.subarray(0, 10_000);
      await gate; // the rest arrives only once the client has started receiving
      yield data.subarray(10_000);
    }
    let closed = 0;
    const resolve: TftpResolver = () => {
      const source = streamSource(arriving());
      return Promise.resolve({ ...source, close: () => (closed++, source.close?.()) });
    };
    running = await startTestServer({}, { resolve, timeoutMs: 1000 });
    const fetching = fetchFile(running.port, 'kernel', {
      options: [
        ['tsize', '0'],
        ['blksize', '1024'],
      ],
    });
    await eventually(() => running!.server.stats().packetsSent > 0);
    release();
    const result = await fetching;
    expect(result.oack).toEqual(new Map([['blksize', '1024']]));
    expectSameBytes(result.data, data);
    await eventually(() => closed === 1);
  });

  it('aborts the transfer with error 0 when the source fails mid-way, and closes it', async () => {
    let closed = false;
    const failing: TftpSource = {
      size: 10_000,
      read: (target, position) =>
        position === 0
          ? Promise.resolve(target.fill(1).length)
          : Promise.reject(new Error('disk gone')),
      close: () => {
        closed = true;
      },
    };
    running = await startTestServer(
      {},
      { resolve: () => Promise.resolve(failing), readAheadBytes: 512 },
    );
    await expect(fetchFile(running.port, 'f')).rejects.toThrow(/TFTP error 0: Error reading file/);
    await eventually(() => closed && running!.server.stats().transfers.failed === 1);
  });

  it('refuses requests beyond maxTransfers as busy', async () => {
    running = await startTestServer({ f: payload(5000) }, { maxTransfers: 1, timeoutMs: 10_000 });
    const holder = await TestPeer.open();
    try {
      holder.send(encodeRequest(Opcode.RRQ, 'f', 'octet'), running.port);
      await holder.expect();
      const reply = await firstReply(running.port, encodeRequest(Opcode.RRQ, 'f', 'octet'));
      expect(reply).toMatchObject({
        op: Opcode.ERROR,
        code: TftpErrorCode.NOT_DEFINED,
        message: 'Server busy, try again',
      });
    } finally {
      await holder.close();
    }
  });

  it('close() aborts running transfers, tells their clients and releases their sources', async () => {
    let closed = 0;
    const resolve: TftpResolver = () =>
      Promise.resolve({
        ...bufferSource(payload(100_000)),
        close: () => {
          closed++;
        },
      });
    running = await startTestServer({}, { resolve, timeoutMs: 10_000 });
    const peer = await TestPeer.open();
    try {
      peer.send(encodeRequest(Opcode.RRQ, 'f', 'octet'), running.port);
      await peer.expect();
      await running.server.close();
      expect(await peer.expect()).toMatchObject({
        packet: { op: Opcode.ERROR, code: TftpErrorCode.NOT_DEFINED },
      });
      expect(running.server.stats()).toMatchObject({
        activeTransfers: 0,
        transfers: { shutdown: 1 },
      });
      await eventually(() => closed === 1);
    } finally {
      await peer.close();
      running = undefined;
    }
  });

  it('exposes its counters in a prom-client registry', async () => {
    const registry = new Registry();
    running = await startTestServer({ f: payload(1500) }, { registry });
    await fetchFile(running.port, 'f');
    await firstReply(running.port, encodeRequest(Opcode.RRQ, 'missing', 'octet'));
    await eventually(() => running!.server.stats().transfers.completed === 1);
    const text = await registry.metrics();
    expect(text).toContain('kiln_tftp_transfers_total{result="completed"} 1');
    expect(text).toContain('kiln_tftp_sent_bytes_total 1500');
    expect(text).toContain('kiln_tftp_errors_total{code="1"} 1');
    expect(text).toContain('kiln_tftp_requests_total 2');
    expect(text).toContain('kiln_tftp_active_transfers 0');
  });

  it('rejects invalid settings, naming each one', async () => {
    await expect(
      createTftpServer({
        port: 70000,
        address: 'localhost',
        resolve: () => Promise.resolve(null),
        logger: pino({ level: 'silent' }),
        maxBlockSize: 4,
        maxWindowSize: 0,
      }),
    ).rejects.toThrow(/TFTP server settings: address.*port.*maxBlockSize.*maxWindowSize/);
  });

  it('reports a port that is already taken as TFTP_BIND_FAILED', async () => {
    running = await startTestServer({});
    await expect(
      createTftpServer({
        port: running.port,
        address: '127.0.0.1',
        resolve: () => Promise.resolve(null),
        logger: pino({ level: 'silent' }),
      }),
    ).rejects.toMatchObject({ code: 'TFTP_BIND_FAILED' });
  });
});
