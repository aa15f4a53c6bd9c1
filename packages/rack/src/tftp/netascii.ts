import { AppError } from '@kiln/node-kit';
import type { TftpSource } from './sources.js';

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

/**
 * RFC 1350 netascii on the fly: LF becomes CR LF and a bare CR becomes CR NUL. The converted
 * length is only known after the whole file is read, so the wrapped source has no size and
 * tsize is not answered for netascii transfers.
 */
export function netasciiSource(inner: TftpSource, rawBufferBytes = 16384): TftpSource {
  const raw = Buffer.allocUnsafe(rawBufferBytes);
  let rawStart = 0;
  let rawEnd = 0;
  let innerPosition = 0;
  let innerDone = false;
  // Second byte of an expansion that did not fit at the end of the previous read.
  let carry = -1;
  let produced = 0;

  async function refill(): Promise<boolean> {
    if (innerDone) return false;
    const count = await inner.read(raw, innerPosition);
    innerPosition += count;
    rawStart = 0;
    rawEnd = count;
    if (count < raw.length) innerDone = true;
    return count > 0;
  }

  return {
    size: undefined,
    async read(target, position) {
      if (position !== produced) {
        throw new AppError(
          'TFTP_SOURCE_NOT_SEQUENTIAL',
          'A netascii source can only be read front to back',
          {
            details: { position, expected: produced },
          },
        );
      }
      let out = 0;
      if (carry >= 0 && target.length > 0) {
        target[out++] = carry;
        carry = -1;
      }
      while (out < target.length) {
        if (rawStart === rawEnd && !(await refill())) break;
        const byte = raw[rawStart++] ?? 0;
        if (byte !== LF && byte !== CR) {
          target[out++] = byte;
          continue;
        }
        target[out++] = CR;
        const second = byte === LF ? LF : NUL;
        if (out < target.length) target[out++] = second;
        else carry = second;
      }
      produced += out;
      return out;
    },
    async close() {
      await inner.close?.();
    },
  };
}
