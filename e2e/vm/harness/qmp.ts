import { createConnection } from 'node:net';

/**
 * One QMP command over the VM's unix socket (negotiates capabilities first). The harness only
 * uses it to switch on a VM Kiln does not know yet (enlistment) and to read its state.
 */
export function qmp(socket: string, command: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const conn = createConnection(socket);
    let buffer = '';
    let step = 0;
    const timer = setTimeout(() => {
      conn.destroy();
      reject(new Error(`QMP ${command} on ${socket}: no answer`));
    }, 10_000);
    conn.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    conn.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line === '') continue;
        const msg = JSON.parse(line) as {
          QMP?: unknown;
          return?: unknown;
          error?: { desc: string };
        };
        if (msg.error !== undefined) {
          clearTimeout(timer);
          conn.destroy();
          reject(new Error(`QMP ${command}: ${msg.error.desc}`));
          return;
        }
        if (msg.QMP !== undefined && step === 0) {
          step = 1;
          conn.write('{"execute":"qmp_capabilities"}\n');
        } else if ('return' in msg && step === 1) {
          step = 2;
          conn.write(`${JSON.stringify({ execute: command })}\n`);
        } else if ('return' in msg && step === 2) {
          clearTimeout(timer);
          conn.end();
          resolve(msg.return);
        }
      }
    });
  });
}
