import { BLOCK_MODULO, Opcode } from './constants.js';

/**
 * Encoding and decoding of TFTP packets (RFC 1350, RFC 2347 OACK). Decoding never throws: a
 * packet that does not parse comes back as `malformed` with a reason the server can put in an
 * ERROR packet, because anything on UDP port 69 is untrusted input.
 */

export interface RequestPacket {
  readonly op: typeof Opcode.RRQ | typeof Opcode.WRQ;
  readonly filename: string;
  /** Lower-cased transfer mode ("octet", "netascii", ...). */
  readonly mode: string;
  /** Options by lower-cased name; the first occurrence of a name wins. */
  readonly options: ReadonlyMap<string, string>;
}
export interface DataPacket {
  readonly op: typeof Opcode.DATA;
  readonly block: number;
  readonly data: Buffer;
}
export interface AckPacket {
  readonly op: typeof Opcode.ACK;
  readonly block: number;
}
export interface ErrorPacket {
  readonly op: typeof Opcode.ERROR;
  readonly code: number;
  readonly message: string;
}
export interface OackPacket {
  readonly op: typeof Opcode.OACK;
  readonly options: ReadonlyMap<string, string>;
}
export interface MalformedPacket {
  readonly op: 'malformed';
  readonly reason: string;
}
export type TftpPacket = RequestPacket | DataPacket | AckPacket | ErrorPacket | OackPacket;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Splits NUL-terminated strings; a trailing unterminated fragment is reported separately. */
function splitStrings(msg: Buffer, start: number): { fields: string[]; rest: boolean } | null {
  const fields: string[] = [];
  let pos = start;
  while (pos < msg.length) {
    const end = msg.indexOf(0, pos);
    if (end === -1) return { fields, rest: true };
    try {
      fields.push(utf8.decode(msg.subarray(pos, end)));
    } catch {
      return null;
    }
    pos = end + 1;
  }
  return { fields, rest: false };
}

function decodeOptions(pairs: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  // An unpaired trailing name is ignored: RFC 2347 lets a server skip options it cannot use.
  let name: string | undefined;
  for (const field of pairs) {
    if (name === undefined) {
      name = field.toLowerCase();
      continue;
    }
    if (name !== '' && !options.has(name)) options.set(name, field);
    name = undefined;
  }
  return options;
}

function decodeRequest(op: RequestPacket['op'], msg: Buffer): RequestPacket | MalformedPacket {
  const split = splitStrings(msg, 2);
  if (split === null) return { op: 'malformed', reason: 'Request is not valid UTF-8' };
  const [filename, mode, ...pairs] = split.fields;
  if (filename === undefined || mode === undefined) {
    return { op: 'malformed', reason: 'Request lacks a NUL-terminated filename and mode' };
  }
  return { op, filename, mode: mode.toLowerCase(), options: decodeOptions(pairs) };
}

export function decodePacket(msg: Buffer): TftpPacket | MalformedPacket {
  if (msg.length < 2) return { op: 'malformed', reason: 'Packet shorter than an opcode' };
  const op = msg.readUInt16BE(0);
  switch (op) {
    case Opcode.RRQ:
    case Opcode.WRQ:
      return decodeRequest(op, msg);
    case Opcode.DATA:
      if (msg.length < 4) return { op: 'malformed', reason: 'DATA shorter than its header' };
      return { op, block: msg.readUInt16BE(2), data: msg.subarray(4) };
    case Opcode.ACK:
      // Extra bytes after the block number are tolerated: some firmware pads its ACKs.
      if (msg.length < 4) return { op: 'malformed', reason: 'ACK shorter than its header' };
      return { op, block: msg.readUInt16BE(2) };
    case Opcode.ERROR: {
      if (msg.length < 4) return { op: 'malformed', reason: 'ERROR shorter than its header' };
      const end = msg.indexOf(0, 4);
      const text = msg.subarray(4, end === -1 ? msg.length : end).toString('latin1');
      return { op, code: msg.readUInt16BE(2), message: text };
    }
    case Opcode.OACK: {
      const split = splitStrings(msg, 2);
      if (split === null) return { op: 'malformed', reason: 'OACK is not valid UTF-8' };
      return { op, options: decodeOptions(split.fields) };
    }
    default:
      return { op: 'malformed', reason: `Unknown opcode ${op}` };
  }
}

function strings(values: readonly string[]): Buffer[] {
  return values.flatMap((value) => [Buffer.from(value, 'utf8'), Buffer.alloc(1)]);
}

function opcode(op: number): Buffer {
  const buf = Buffer.allocUnsafe(2);
  buf.writeUInt16BE(op, 0);
  return buf;
}

export function encodeRequest(
  op: RequestPacket['op'],
  filename: string,
  mode: string,
  options: Iterable<readonly [string, string]> = [],
): Buffer {
  const pairs = [...options].flatMap(([name, value]) => [name, value]);
  return Buffer.concat([opcode(op), ...strings([filename, mode, ...pairs])]);
}

export function encodeOack(options: Iterable<readonly [string, string]>): Buffer {
  const pairs = [...options].flatMap(([name, value]) => [name, value]);
  return Buffer.concat([opcode(Opcode.OACK), ...strings(pairs)]);
}

export function encodeAck(block: number): Buffer {
  const buf = Buffer.allocUnsafe(4);
  buf.writeUInt16BE(Opcode.ACK, 0);
  buf.writeUInt16BE(block % BLOCK_MODULO, 2);
  return buf;
}

export function encodeError(code: number, message: string): Buffer {
  return Buffer.concat([
    opcode(Opcode.ERROR),
    Buffer.from([code >> 8, code & 0xff]),
    ...strings([message]),
  ]);
}

/** Writes the 4-byte DATA header in place, so payloads can be read straight behind it. */
export function writeDataHeader(target: Buffer, offset: number, block: number): void {
  target.writeUInt16BE(Opcode.DATA, offset);
  target.writeUInt16BE(block % BLOCK_MODULO, offset + 2);
}

export function encodeData(block: number, payload: Uint8Array): Buffer {
  const buf = Buffer.allocUnsafe(4 + payload.length);
  writeDataHeader(buf, 0, block);
  buf.set(payload, 4);
  return buf;
}
