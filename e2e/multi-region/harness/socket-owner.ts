import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The pid of the local process whose TCP socket has local port `port` (from `ss -tnp`): tells
 * which region made an upstream request, since every region connects from 127.0.0.1.
 */
export async function pidOwningLocalPort(port: number): Promise<number | undefined> {
  const { stdout } = await run('ss', ['-tnpH', 'sport', '=', `:${String(port)}`]);
  const match = /pid=(\d+)/.exec(stdout);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
