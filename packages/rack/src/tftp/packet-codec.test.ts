import { describe, expect, it } from 'vitest';
import { Opcode } from './constants.js';
import {
  decodePacket,
  encodeAck,
  encodeData,
  encodeError,
  encodeOack,
  encodeRequest,
  writeDataHeader,
} from './packet-codec.js';

const bytes = (...values: (number | string)[]): Buffer =>
  Buffer.concat(
    values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v]))),
  );

describe('packet codec', () => {
  it('round-trips a read request with options, lower-casing names and mode', () => {
    const wire = encodeRequest(Opcode.RRQ, 'grub/grub.cfg', 'OCTET', [
      ['BlkSize', '1468'],
      ['tsize', '0'],
    ]);
    expect(wire).toEqual(
      bytes(0, 1, 'grub/grub.cfg', 0, 'OCTET', 0, 'BlkSize', 0, '1468', 0, 'tsize', 0, '0', 0),
    );
    const packet = decodePacket(wire);
    expect(packet).toEqual({
      op: Opcode.RRQ,
      filename: 'grub/grub.cfg',
      mode: 'octet',
      options: new Map([
        ['blksize', '1468'],
        ['tsize', '0'],
      ]),
    });
  });

  it('keeps the first of repeated options and ignores an unpaired trailing name', () => {
    const packet = decodePacket(
      bytes(0, 1, 'f', 0, 'octet', 0, 'blksize', 0, '8', 0, 'BLKSIZE', 0, '9', 0, 'x', 0),
    );
    expect(packet).toMatchObject({ options: new Map([['blksize', '8']]) });
  });

  it('ignores an option with an empty name', () => {
    const packet = decodePacket(bytes(0, 1, 'f', 0, 'octet', 0, 0, '1', 0, 'tsize', 0, '0', 0));
    expect(packet).toMatchObject({ options: new Map([['tsize', '0']]) });
  });

  it('decodes a write request', () => {
    expect(decodePacket(encodeRequest(Opcode.WRQ, 'f', 'netascii'))).toMatchObject({
      op: Opcode.WRQ,
      mode: 'netascii',
    });
  });

  it.each([
    ['empty packet', bytes()],
    ['one byte', bytes(0)],
    ['unknown opcode', bytes(0, 9, 0, 0)],
    ['request without mode', bytes(0, 1, 'name', 0)],
    ['request without terminator', bytes(0, 1, 'name')],
    ['request with invalid UTF-8', bytes(0, 1, 0xff, 0xfe, 0, 'octet', 0)],
    ['short DATA', bytes(0, 3, 0)],
    ['short ACK', bytes(0, 4, 0)],
    ['short ERROR', bytes(0, 5, 0)],
    ['OACK with invalid UTF-8', bytes(0, 6, 0xff, 0)],
  ])('reports a %s as malformed', (_name, wire) => {
    const packet = decodePacket(wire);
    expect(packet.op).toBe('malformed');
    expect(packet).toHaveProperty('reason', expect.any(String));
  });

  it('encodes and decodes DATA, including the empty final block', () => {
    const wire = encodeData(65536 + 7, Buffer.from('abc'));
    expect(wire).toEqual(bytes(0, 3, 0, 7, 'abc'));
    expect(decodePacket(wire)).toEqual({ op: Opcode.DATA, block: 7, data: Buffer.from('abc') });
    expect(decodePacket(encodeData(1, Buffer.alloc(0)))).toEqual({
      op: Opcode.DATA,
      block: 1,
      data: Buffer.alloc(0),
    });
  });

  it('writes a DATA header in place with the block number wrapped to 16 bits', () => {
    const target = Buffer.alloc(8, 0xaa);
    writeDataHeader(target, 2, 0x1ffff);
    expect(target).toEqual(bytes(0xaa, 0xaa, 0, 3, 0xff, 0xff, 0xaa, 0xaa));
  });

  it('encodes ACKs with wrapped block numbers and tolerates padded ACKs', () => {
    expect(encodeAck(65535)).toEqual(bytes(0, 4, 0xff, 0xff));
    expect(encodeAck(65536)).toEqual(bytes(0, 4, 0, 0));
    expect(decodePacket(bytes(0, 4, 1, 2, 0, 0))).toEqual({ op: Opcode.ACK, block: 0x102 });
  });

  it('round-trips ERROR packets, with or without the terminating NUL', () => {
    expect(encodeError(2, 'no')).toEqual(bytes(0, 5, 0, 2, 'no', 0));
    expect(decodePacket(encodeError(1, 'File not found'))).toEqual({
      op: Opcode.ERROR,
      code: 1,
      message: 'File not found',
    });
    expect(decodePacket(bytes(0, 5, 0, 8, 'abc'))).toEqual({
      op: Opcode.ERROR,
      code: 8,
      message: 'abc',
    });
  });

  it('round-trips OACK', () => {
    const wire = encodeOack([
      ['blksize', '1468'],
      ['windowsize', '16'],
    ]);
    expect(wire).toEqual(bytes(0, 6, 'blksize', 0, '1468', 0, 'windowsize', 0, '16', 0));
    expect(decodePacket(wire)).toEqual({
      op: Opcode.OACK,
      options: new Map([
        ['blksize', '1468'],
        ['windowsize', '16'],
      ]),
    });
  });
});
