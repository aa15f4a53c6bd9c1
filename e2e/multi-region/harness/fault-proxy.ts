import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * What the proxy does to the bytes flowing from the target back to the client. Byte offsets count
 * the HTTP response body of each connection (after the first blank line), so a fault lands in the
 * file being copied and not in the headers.
 */
export type ProxyFault =
  | { readonly kind: 'pass' }
  /** Closes both sides after this many body bytes. */
  | { readonly kind: 'cut'; readonly afterBytes: number }
  /** Stops forwarding after this many body bytes and holds the connection open. */
  | { readonly kind: 'stall'; readonly afterBytes: number }
  /** Flips the body byte at this offset. */
  | { readonly kind: 'wrong-byte'; readonly offset: number }
  /** Refuses connections (accepts and closes at once). */
  | { readonly kind: 'refuse' };

export interface FaultProxy {
  /** The port clients connect to. */
  readonly port: number;
  /** Body bytes forwarded from the target to clients so far (all connections). */
  bodyBytes(): number;
  /** Connections accepted so far. */
  connections(): number;
  setFault(fault: ProxyFault): void;
  close(): Promise<void>;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** A TCP proxy on 127.0.0.1 in front of `targetPort` that injects faults into responses. */
export async function startFaultProxy(targetPort: number, port = 0): Promise<FaultProxy> {
  let fault: ProxyFault = { kind: 'pass' };
  let forwarded = 0;
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    accepted += 1;
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (fault.kind === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', () => client.end());
    client.pipe(upstream);
    // Response direction: find the end of the headers, then count body bytes and apply the fault.
    let inBody = false;
    let head = Buffer.alloc(0);
    let body = 0;
    let stalled = false;
    upstream.on('data', (chunk: Buffer) => {
      if (stalled) return;
      let data = chunk;
      if (!inBody) {
        head = Buffer.concat([head, data]);
        const end = head.indexOf(HEADER_END);
        if (end < 0) {
          client.write(data);
          head = head.subarray(-3);
          return;
        }
        inBody = true;
        const bodyStart = end + HEADER_END.length;
        const before = data.length - (head.length - bodyStart);
        client.write(data.subarray(0, Math.max(0, before)));
        data = data.subarray(Math.max(0, before));
      }
      const active = fault;
      if (active.kind === 'cut' || active.kind === 'stall') {
        const room = Math.max(0, active.afterBytes - body);
        if (data.length >= room) {
          client.write(data.subarray(0, room));
          forwarded += room;
          body += room;
          if (active.kind === 'cut') {
            client.end();
            upstream.destroy();
          } else {
            stalled = true;
            upstream.pause();
          }
          return;
        }
      }
      if (
        active.kind === 'wrong-byte' &&
        active.offset >= body &&
        active.offset < body + data.length
      ) {
        data = Buffer.from(data);
        const at = active.offset - body;
        data[at] = (data[at] ?? 0) ^ 0xff;
      }
      forwarded += data.length;
      body += data.length;
      if (!client.write(data)) {
        upstream.pause();
        client.once('drain', () => upstream.resume());
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return {
    port: bound,
    bodyBytes: () => forwarded,
    connections: () => accepted,
    setFault: (next) => {
      fault = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
