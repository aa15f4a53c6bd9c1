import { afterEach, describe, expect, it } from 'vitest';
import { Opcode, TftpErrorCode } from './constants.js';
import { encodeAck, encodeError, encodeRequest } from './packet-codec.js';
import { fetchFile, TestPeer } from './test-client.js';
import {
  eventually,
  payload,
  startTestServer,
  type TestServer,
  expectSameBytes,
} from './test-fixtures.js';

/** Lost, duplicated and foreign packets, driven by the fault-injecting test client. */
describe('TFTP transfers under packet loss and duplication', () => {
  const file = payload(512 * 40 + 100); // 41 blocks at 512, 6 windows of 8
  let running: TestServer | undefined;
  afterEach(async () => {
    await running?.server.close();
    running = undefined;
  });

  const start = async (tunables: Parameters<typeof startTestServer>[1] = {}) => {
    running = await startTestServer({ f: file }, tunables);
    return running;
  };

  it('retransmits a lost DATA block after its timeout (lockstep)', async () => {
    const { port, server } = await start({ timeoutMs: 50 });
    const result = await fetchFile(port, 'f', {
      faults: { dropData: (block, attempt) => block === 3 && attempt === 1 },
    });
    expectSameBytes(result.data, file);
    expect(server.stats().retransmissions).toBeGreaterThanOrEqual(1);
  });

  it('recovers from a lost ACK: the block is resent and the duplicate re-acknowledged', async () => {
    const { port, server } = await start({ timeoutMs: 50 });
    const result = await fetchFile(port, 'f', {
      faults: { dropAck: (block, attempt) => block === 2 && attempt === 1 },
    });
    expectSameBytes(result.data, file);
    expect(result.dataPackets).toBeGreaterThan(result.blocks);
    await eventually(() => server.stats().transfers.completed === 1);
  });

  it('resends from n+1 when the client ACKs block n in the middle of a window, with no timeout needed', async () => {
    // maxRetries 0: if recovery needed a timeout, the transfer would fail instead.
    const { port, server } = await start({ timeoutMs: 10_000, maxRetries: 0 });
    const result = await fetchFile(port, 'f', {
      options: [['windowsize', '8']],
      faults: { dropData: (block, attempt) => (block === 5 || block === 22) && attempt === 1 },
    });
    expect(result.oack?.get('windowsize')).toBe('8');
    expectSameBytes(result.data, file);
    await eventually(() => server.stats().transfers.completed === 1);
    expect(server.stats().retransmissions).toBeGreaterThanOrEqual(2);
  });

  it('recovers from a lost window-closing ACK by timeout', async () => {
    const { port } = await start({ timeoutMs: 50 });
    const result = await fetchFile(port, 'f', {
      options: [['windowsize', '8']],
      faults: { dropAck: (block, attempt) => block === 16 && attempt === 1 },
    });
    expectSameBytes(result.data, file);
  });

  it.each([1, 8])(
    'ignores duplicate ACKs: no block is sent twice (windowsize %i)',
    async (windowSize) => {
      const { port, server } = await start({ timeoutMs: 10_000 });
      const result = await fetchFile(port, 'f', {
        options: [['windowsize', String(windowSize)]],
        faults: { duplicateAcks: true },
      });
      expectSameBytes(result.data, file);
      expect(result.dataPackets).toBe(result.blocks);
      await eventually(() => server.stats().transfers.completed === 1);
      expect(server.stats().packetsSent).toBe(41);
      expect(server.stats().retransmissions).toBe(0);
    },
  );

  it('gives up on a silent client after maxRetries and releases the transfer', async () => {
    const { port, server } = await start({ timeoutMs: 20, maxRetries: 3 });
    const peer = await TestPeer.open();
    try {
      peer.send(encodeRequest(Opcode.RRQ, 'f', 'octet'), port);
      const blocks: number[] = [];
      for (;;) {
        const { packet } = await peer.expect();
        if (packet.op === Opcode.ERROR) {
          expect(packet.code).toBe(TftpErrorCode.NOT_DEFINED);
          break;
        }
        if (packet.op === Opcode.DATA) blocks.push(packet.block);
      }
      expect(blocks).toEqual([1, 1, 1, 1]);
      await eventually(() => server.stats().activeTransfers === 0);
      expect(server.stats().transfers.timeout).toBe(1);
    } finally {
      await peer.close();
    }
  });

  it('retransmits an unanswered OACK, then gives up', async () => {
    const { port, server } = await start({ timeoutMs: 20, maxRetries: 2 });
    const peer = await TestPeer.open();
    try {
      peer.send(encodeRequest(Opcode.RRQ, 'f', 'octet', [['blksize', '1024']]), port);
      const ops: (number | string)[] = [];
      for (let packet = (await peer.expect()).packet; ; packet = (await peer.expect()).packet) {
        ops.push(packet.op);
        if (packet.op === Opcode.ERROR) break;
      }
      expect(ops).toEqual([Opcode.OACK, Opcode.OACK, Opcode.OACK, Opcode.ERROR]);
      await eventually(() => server.stats().transfers.timeout === 1);
    } finally {
      await peer.close();
    }
  });

  it('ends the transfer when the client refuses the OACK with error 8', async () => {
    const { port, server } = await start({ timeoutMs: 20, maxRetries: 2 });
    const peer = await TestPeer.open();
    try {
      peer.send(encodeRequest(Opcode.RRQ, 'f', 'octet', [['blksize', '1024']]), port);
      const { packet, rinfo } = await peer.expect();
      expect(packet.op).toBe(Opcode.OACK);
      peer.send(encodeError(TftpErrorCode.OPTION_REFUSED, 'no thanks'), rinfo.port);
      await eventually(() => server.stats().transfers.aborted === 1);
      expect(server.stats().activeTransfers).toBe(0);
      expect(await peer.next(100)).toBeNull();
    } finally {
      await peer.close();
    }
  });

  it('answers packets from a wrong TID with error 5 and carries on with the real client', async () => {
    const { port, server } = await start({ timeoutMs: 10_000 });
    const client = await TestPeer.open();
    const intruder = await TestPeer.open();
    try {
      client.send(encodeRequest(Opcode.RRQ, 'f', 'octet'), port);
      const first = await client.expect();
      expect(first.packet).toMatchObject({ op: Opcode.DATA, block: 1 });
      const tid = first.rinfo.port;
      intruder.send(encodeAck(1), tid);
      intruder.send(encodeError(TftpErrorCode.NOT_DEFINED, 'go away'), tid);
      for (let i = 0; i < 2; i++) {
        expect((await intruder.expect()).packet).toMatchObject({
          op: Opcode.ERROR,
          code: TftpErrorCode.UNKNOWN_TID,
        });
      }
      const received: Buffer[] = [
        first.packet.op === Opcode.DATA ? first.packet.data : Buffer.alloc(0),
      ];
      for (let block = 1; ; block++) {
        client.send(encodeAck(block), tid);
        if (received.at(-1)!.length < 512) break;
        const { packet } = await client.expect();
        expect(packet).toMatchObject({ op: Opcode.DATA, block: block + 1 });
        if (packet.op === Opcode.DATA) received.push(packet.data);
      }
      expectSameBytes(Buffer.concat(received), file);
      await eventually(() => server.stats().transfers.completed === 1);
      expect(server.stats().errorsSent[TftpErrorCode.UNKNOWN_TID]).toBe(2);
    } finally {
      await client.close();
      await intruder.close();
    }
  });

  it('ends the transfer with error 4 when its client sends DATA on the transfer port, ignoring noise', async () => {
    const { port, server } = await start({ timeoutMs: 10_000 });
    const peer = await TestPeer.open();
    try {
      peer.send(encodeRequest(Opcode.RRQ, 'f', 'octet'), port);
      const { rinfo } = await peer.expect();
      peer.send(Buffer.from([0, 4, 0]), rinfo.port); // malformed: ignored
      peer.send(Buffer.from([0, 3, 0, 1, 0x61]), rinfo.port);
      expect((await peer.expect()).packet).toMatchObject({
        op: Opcode.ERROR,
        code: TftpErrorCode.ILLEGAL_OPERATION,
      });
      await eventually(() => server.stats().transfers.failed === 1);
    } finally {
      await peer.close();
    }
  });

  it('slides the window to n+1 on an ACK of block n from the middle of a window, and ignores ACKs from the future', async () => {
    const { port } = await start({ timeoutMs: 10_000 });
    const peer = await TestPeer.open();
    const dataBlocks = async (count: number): Promise<number[]> => {
      const blocks: number[] = [];
      for (let i = 0; i < count; i++) {
        const { packet } = await peer.expect();
        if (packet.op === Opcode.DATA) blocks.push(packet.block);
      }
      return blocks;
    };
    try {
      peer.send(encodeRequest(Opcode.RRQ, 'f', 'octet', [['windowsize', '4']]), port);
      const { rinfo } = await peer.expect(); // OACK
      peer.send(encodeAck(0), rinfo.port);
      expect(await dataBlocks(4)).toEqual([1, 2, 3, 4]);
      peer.send(encodeAck(2), rinfo.port);
      expect(await dataBlocks(4)).toEqual([3, 4, 5, 6]);
      peer.send(encodeAck(40), rinfo.port); // never sent: must not move the window
      peer.send(encodeAck(2), rinfo.port); // duplicate: must not trigger a resend
      expect(await peer.next(150)).toBeNull();
      peer.send(encodeAck(6), rinfo.port);
      expect(await dataBlocks(4)).toEqual([7, 8, 9, 10]);
      peer.send(encodeError(0, 'enough'), rinfo.port);
    } finally {
      await peer.close();
    }
  });

  it('treats an RRQ resent while its transfer runs as the same transfer', async () => {
    const { port, server } = await start({ timeoutMs: 10_000 });
    const peer = await TestPeer.open();
    try {
      const request = encodeRequest(Opcode.RRQ, 'f', 'octet');
      peer.send(request, port);
      peer.send(request, port);
      const { packet, rinfo } = await peer.expect();
      expect(packet).toMatchObject({ op: Opcode.DATA, block: 1 });
      expect(await peer.next(100)).toBeNull();
      expect(server.stats()).toMatchObject({ requests: 2, activeTransfers: 1 });
      peer.send(encodeError(0, 'done'), rinfo.port);
    } finally {
      await peer.close();
    }
  });

  it('rolls block numbers over past 65535 (70,000 blocks of 8 bytes)', async () => {
    const big = payload(8 * 70_000 + 3);
    running = await startTestServer({ big }, { timeoutMs: 1000 });
    const result = await fetchFile(running.port, 'big', {
      options: [
        ['blksize', '8'],
        ['windowsize', '64'],
      ],
    });
    expect(result.blocks).toBe(70_001);
    expectSameBytes(result.data, big);
  });
});
