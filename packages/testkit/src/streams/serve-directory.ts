import { open, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve, sep } from 'node:path';

/** A fault the server injects into matching requests; `times` (default unlimited) counts down per hit. */
export type Fault =
  | {
      readonly kind: 'cut';
      readonly path: string | RegExp;
      readonly afterBytes: number;
      times?: number;
    }
  | {
      readonly kind: 'status';
      readonly path: string | RegExp;
      readonly status: number;
      times?: number;
    }
  | { readonly kind: 'ignore-range'; readonly path: string | RegExp; times?: number }
  | {
      /** Sends `afterBytes` of the body, then holds the connection open until released or closed. */
      readonly kind: 'stall';
      readonly path: string | RegExp;
      readonly afterBytes: number;
      times?: number;
    }
  | {
      readonly kind: 'wrong-byte';
      readonly path: string | RegExp;
      readonly offset: number;
      times?: number;
    };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly range: string | undefined;
  readonly ifRange: string | undefined;
  /** The client's TCP port: tells which local process made the request. */
  readonly remotePort: number;
  status: number;
  /** Body bytes written to the socket for this request. */
  bytesSent: number;
}

export interface DirectoryServer {
  /** Base URL ending in `/`, e.g. `http://127.0.0.1:40123/`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** Ends every stalled response now (the client sees a cut connection). */
  releaseStalls(): void;
  /** Requests whose path equals `path` (URL path, leading slash). */
  requestsFor(path: string): RecordedRequest[];
  close(): Promise<void>;
}

function matches(fault: Fault, path: string): boolean {
  return typeof fault.path === 'string' ? fault.path === path : fault.path.test(path);
}

function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'bad' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d*)$/.exec(header);
  if (m === null) return undefined;
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || start > end ? 'bad' : { start, end };
}

/**
 * A tiny static file server on 127.0.0.1 for tests: serves `root` with ETag and single-range
 * support, records every request, and injects faults (cut connections, error statuses, ignored
 * Range, corrupted bytes).
 */
export async function serveDirectory(
  root: string,
  options: { faults?: Fault[] } = {},
): Promise<DirectoryServer> {
  const base = resolve(root);
  let faults: Fault[] = [...(options.faults ?? [])];
  const requests: RecordedRequest[] = [];
  const stalled = new Set<ServerResponse>();

  const take = (path: string, kind: Fault['kind']): Fault | undefined => {
    const fault = faults.find((f) => f.kind === kind && matches(f, path) && (f.times ?? 1) > 0);
    if (fault?.times !== undefined) fault.times -= 1;
    return fault;
  };

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
  ): Promise<void> => {
    const path = decodeURIComponent(record.path);
    const status = take(record.path, 'status');
    if (status?.kind === 'status') return void res.writeHead((record.status = status.status)).end();
    const file = resolve(base, `.${path}`);
    const info = file.startsWith(base + sep) ? await stat(file).catch(() => undefined) : undefined;
    if (info?.isFile() !== true) return void res.writeHead((record.status = 404)).end();
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const ignoreRange = take(record.path, 'ignore-range') !== undefined;
    const rangeOk = !ignoreRange && (record.ifRange === undefined || record.ifRange === etag);
    const range = rangeOk ? parseRange(record.range, info.size) : undefined;
    if (range === 'bad') {
      res.writeHead((record.status = 416), { 'content-range': `bytes */${info.size}` });
      return void res.end();
    }
    const start = range?.start ?? 0;
    const end = range?.end ?? info.size - 1;
    record.status = range === undefined ? 200 : 206;
    res.writeHead(record.status, {
      'content-length': String(end - start + 1),
      'accept-ranges': 'bytes',
      etag,
      ...(range === undefined ? {} : { 'content-range': `bytes ${start}-${end}/${info.size}` }),
    });
    if (req.method === 'HEAD') return void res.end();
    const fh = await open(file, 'r');
    const body = Buffer.alloc(end - start + 1);
    await fh.read(body, 0, body.length, start);
    await fh.close();
    const wrong = take(record.path, 'wrong-byte');
    if (wrong?.kind === 'wrong-byte' && wrong.offset >= start && wrong.offset <= end) {
      body[wrong.offset - start] = (body[wrong.offset - start] ?? 0) ^ 0xff;
    }
    const cut = take(record.path, 'cut');
    if (cut?.kind === 'cut') {
      record.bytesSent = Math.min(cut.afterBytes, body.length);
      // end() after the write sends FIN behind the data; destroy() could send RST and lose it.
      res.write(body.subarray(0, cut.afterBytes), () => {
        res.socket?.end();
      });
      return;
    }
    const stall = take(record.path, 'stall');
    if (stall?.kind === 'stall') {
      record.bytesSent = Math.min(stall.afterBytes, body.length);
      stalled.add(res);
      res.once('close', () => stalled.delete(res));
      res.write(body.subarray(0, stall.afterBytes));
      return;
    }
    record.bytesSent = body.length;
    res.end(body);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      range: req.headers.range,
      ifRange: typeof req.headers['if-range'] === 'string' ? req.headers['if-range'] : undefined,
      remotePort: req.socket.remotePort ?? 0,
      status: 0,
      bytesSent: 0,
    };
    requests.push(record);
    handle(req, res, record).catch(() => {
      record.status = 500;
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    addFault: (fault) => faults.push(fault),
    clearFaults: () => {
      faults = [];
    },
    releaseStalls: () => {
      for (const res of stalled) res.socket?.end();
      stalled.clear();
    },
    requestsFor: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((ok) => {
        stalled.clear();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
