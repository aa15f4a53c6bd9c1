import type { Readable } from 'node:stream';

/** First line of `stream` (for `kiln login P URL -`), without waiting for more than that. */
export async function readFirstLine(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const newline = text.indexOf('\n');
    if (newline >= 0) return text.slice(0, newline).trim();
  }
  return text.trim();
}
