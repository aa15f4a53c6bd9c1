import { createSocket } from 'node:dgram';

const OP_DATA = 3;
const OP_ERROR = 5;
const BLOCK = 512;

/**
 * A lockstep RFC 1350 read (octet mode, 512-byte blocks), as a PXE ROM fetches its boot config.
 * Small files only: the simulator uses it for configs, not images. Retransmits the last packet
 * once per `retryMs`; fails after `timeoutMs` without progress or on an ERROR packet.
 */
export function tftpGet(
  host: string,
  port: number,
  name: string,
  timeoutMs: number,
  retryMs = 500,
): Promise<Buffer> {
  const socket = createSocket('udp4');
  const rrq = Buffer.concat([Buffer.from([0, 1]), Buffer.from(`${name}\0octet\0`, 'latin1')]);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let expected = 1;
    let last = rrq;
    let lastTo = port;
    let idle = 0;
    const finish = (error: Error | null, data?: Buffer): void => {
      clearInterval(timer);
      socket.close();
      if (error === null && data !== undefined) resolve(data);
      else reject(error ?? new Error('tftp: no data'));
    };
    const timer = setInterval(() => {
      idle += retryMs;
      if (idle >= timeoutMs) finish(new Error(`tftp: no answer for ${name} in ${timeoutMs} ms`));
      else socket.send(last, lastTo, host);
    }, retryMs);
    socket.on('error', (e) => finish(e));
    socket.on('message', (msg, from) => {
      const op = msg.readUInt16BE(0);
      if (op === OP_ERROR) {
        finish(new Error(`tftp error ${msg.readUInt16BE(2)}: ${msg.subarray(4, -1).toString()}`));
        return;
      }
      if (op !== OP_DATA) return;
      const block = msg.readUInt16BE(2);
      const ack = Buffer.from([0, 4, msg[2] ?? 0, msg[3] ?? 0]);
      last = ack;
      lastTo = from.port;
      socket.send(ack, from.port, host);
      if (block !== (expected & 0xffff)) return;
      idle = 0;
      expected += 1;
      const data = msg.subarray(4);
      chunks.push(data);
      if (data.length < BLOCK) finish(null, Buffer.concat(chunks));
    });
    socket.send(rrq, port, host);
  });
}
