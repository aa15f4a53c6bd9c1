import { connect, type Socket } from 'node:net';
import { POWER_ERROR_CODES, powerAborted, powerFailure } from './power-errors.js';

interface Pending {
  readonly id: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

type QmpMessage =
  | { QMP: unknown }
  | { return: unknown; id?: number }
  | { error: { class: string; desc: string }; id?: number }
  | { event: string };

/**
 * A QEMU Machine Protocol connection: newline-delimited JSON over a unix socket. One command is
 * in flight at a time (power operations are short sequences), matched to its answer by `id`;
 * asynchronous events in between are skipped.
 */
export class QmpSession {
  private buffer = '';
  private nextId = 1;
  private pending: Pending | undefined;
  private greeted: Pending | undefined;
  private closedError: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly path: string,
    private readonly timeoutMs: number,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', (error) => this.fail(this.connectionError(error)));
    socket.on('close', () => this.fail(this.connectionError(new Error('connection closed'))));
  }

  /** Connect and negotiate capabilities; the session is then ready for commands. */
  static async open(path: string, signal: AbortSignal, timeoutMs = 10_000): Promise<QmpSession> {
    if (signal.aborted) throw powerAborted(signal.reason);
    const socket = connect({ path });
    const session = new QmpSession(socket, path, timeoutMs);
    const onAbort = () => session.fail(powerAborted(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('close', () => signal.removeEventListener('abort', onAbort));
    try {
      await session.wait((entry) => (session.greeted = entry), 'greeting');
      await session.execute('qmp_capabilities');
      return session;
    } catch (error) {
      session.close();
      throw error;
    }
  }

  /** Run a command and return its `return` value; a QMP `error` answer rejects. */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    const promise = this.wait((entry) => (this.pending = entry), command, id);
    this.socket.write(
      `${JSON.stringify({ execute: command, id, ...(args && { arguments: args }) })}\n`,
    );
    return promise;
  }

  close(): void {
    this.socket.destroy();
  }

  private wait(register: (entry: Pending) => void, what: string, id = 0): Promise<unknown> {
    if (this.closedError !== undefined) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const message = `QEMU (${this.path}) did not answer ${what} within ${this.timeoutMs} ms.`;
        this.fail(powerFailure(POWER_ERROR_CODES.ACTION_TIMEOUT, message));
      }, this.timeoutMs);
      const settle =
        <T>(fn: (value: T) => void) =>
        (value: T) => {
          clearTimeout(timer);
          fn(value);
        };
      register({ id, resolve: settle(resolve), reject: settle(reject) });
    });
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line !== '') this.dispatch(line);
    }
  }

  private dispatch(line: string): void {
    let message: QmpMessage;
    try {
      message = JSON.parse(line) as QmpMessage;
    } catch (error) {
      const text = `QEMU (${this.path}) sent something that is not QMP.`;
      this.fail(powerFailure(POWER_ERROR_CODES.ACTION_FAILED, text, { cause: error }));
      return;
    }
    if ('QMP' in message) {
      const greeted = this.greeted;
      this.greeted = undefined;
      greeted?.resolve(message.QMP);
      return;
    }
    if ('event' in message) return;
    const pending = this.pending;
    if (pending === undefined || message.id !== pending.id) return;
    this.pending = undefined;
    if ('error' in message) {
      const text = `QEMU refused the command: ${message.error.class}: ${message.error.desc}`;
      pending.reject(
        powerFailure(POWER_ERROR_CODES.ACTION_FAILED, text, {
          details: { qmpError: message.error },
        }),
      );
    } else pending.resolve(message.return);
  }

  private connectionError(error: Error & { code?: string }): Error {
    const missing = error.code === 'ENOENT' || error.code === 'ECONNREFUSED';
    const text = missing
      ? `No QEMU is listening on ${this.path} (${error.code}).`
      : `QMP connection to ${this.path} failed: ${error.message}`;
    return powerFailure(POWER_ERROR_CODES.ACTION_FAILED, text, {
      cause: error,
      details: { socket: this.path, notRunning: missing },
    });
  }

  private fail(error: Error): void {
    this.closedError ??= error;
    for (const entry of [this.greeted, this.pending]) entry?.reject(this.closedError);
    this.greeted = undefined;
    this.pending = undefined;
    this.socket.destroy();
  }
}
