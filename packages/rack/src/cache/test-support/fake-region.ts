import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegionRequest {
  readonly method: string;
  readonly path: string;
  readonly range: string | undefined;
  readonly headers: IncomingMessage['headers'];
}

interface Gate {
  readonly offset: number;
  readonly reached: Promise<void>;
  readonly markReached: () => void;
  readonly opened: Promise<void>;
  readonly open: () => void;
}

/**
 * A real loopback HTTP server playing the region's file endpoint for tests: serves files by
 * sha256 with Range, records every request, and can pause, cut or corrupt a file mid-body.
 * Other `/MAAS/` paths echo the request as JSON so proxy tests can see what arrived.
 */
export class FakeRegion {
  readonly requests: RegionRequest[] = [];
  private readonly files = new Map<string, Buffer>();
  private readonly gates = new Map<string, Gate>();
  private readonly cuts = new Map<string, number>();
  private readonly corruptions = new Map<string, number>();
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const gate of this.gates.values()) gate.open();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  addFile(content: Buffer): string {
    const sha256 = createHash('sha256').update(content).digest('hex');
    this.files.set(sha256, content);
    return sha256;
  }

  fileRequests(sha256: string): RegionRequest[] {
    return this.requests.filter((r) => r.path.startsWith(`/MAAS/boot-resources/${sha256}`));
  }

  /** The next response of this file stops before byte `offset` until `open()` is called. */
  pauseAt(sha256: string, offset: number): { reached: Promise<void>; open: () => void } {
    let markReached = (): void => undefined;
    let open = (): void => undefined;
    const reached = new Promise<void>((resolve) => (markReached = resolve));
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gates.set(sha256, { offset, reached, markReached, opened, open });
    return { reached, open };
  }

  /** The next response of this file drops the connection after sending up to byte `offset`. */
  cutAt(sha256: string, offset: number): void {
    this.cuts.set(sha256, offset);
  }

  /** Every response of this file has the byte at `offset` flipped. */
  corrupt(sha256: string, offset: number): void {
    this.corruptions.set(sha256, offset);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    this.requests.push({
      method: req.method ?? 'GET',
      path,
      range: req.headers.range,
      headers: req.headers,
    });
    const match = /^\/MAAS\/boot-resources\/([0-9a-f]{64})\//.exec(path);
    if (match?.[1] !== undefined) {
      await this.serveFile(match[1], req, res);
      return;
    }
    if (path.startsWith('/MAAS/')) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.stringify({
        method: req.method,
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(200, { 'content-type': 'application/json', 'x-region': this.url }).end(body);
      return;
    }
    res.writeHead(404).end();
  }

  private async serveFile(
    sha256: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const stored = this.files.get(sha256);
    if (stored === undefined) {
      res.writeHead(404).end();
      return;
    }
    let content = stored;
    const corruptAt = this.corruptions.get(sha256);
    if (corruptAt !== undefined) {
      content = Buffer.from(stored);
      content[corruptAt] = (content[corruptAt] ?? 0) ^ 0xff;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range?.[1] === undefined ? 0 : Number(range[1]);
    if (start >= content.length && content.length > 0) {
      res.writeHead(416, { 'content-range': `bytes */${content.length}` }).end();
      return;
    }
    const headers = { 'content-length': String(content.length - start), etag: `"${sha256}"` };
    if (range === null) res.writeHead(200, headers);
    else
      res.writeHead(206, {
        ...headers,
        'content-range': `bytes ${start}-${content.length - 1}/${content.length}`,
      });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const gate = this.gates.get(sha256);
    if (gate !== undefined) this.gates.delete(sha256);
    const cut = this.cuts.get(sha256);
    if (cut !== undefined) this.cuts.delete(sha256);
    await this.writeBody(res, content, start, gate, cut);
  }

  private async writeBody(
    res: ServerResponse,
    content: Buffer,
    start: number,
    gate: Gate | undefined,
    cut: number | undefined,
  ): Promise<void> {
    const step = 64 * 1024;
    for (let position = start; position < content.length;) {
      let next = Math.min(position + step, content.length);
      const stop = [gate?.offset, cut].find((o) => o !== undefined && o > position && o < next);
      if (stop !== undefined) next = stop;
      const chunk = content.subarray(position, next);
      position = next;
      if (cut !== undefined && position === cut) {
        // Flush exactly up to the cut, then drop the connection mid-body.
        await new Promise((resolve) => res.write(chunk, resolve));
        res.socket?.destroy();
        return;
      }
      if (!res.write(chunk)) await once(res, 'drain');
      if (gate !== undefined && position === gate.offset) {
        gate.markReached();
        await gate.opened;
      }
    }
    res.end();
  }
}
