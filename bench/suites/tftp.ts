/**
 * TFTP throughput: a 64 MiB file fetched by Debian's `atftp` client (blksize 1468) over loopback.
 *   - lockstep (RFC 1350, one block per ACK): Kiln vs tftpd-hpa (`in.tftpd -L`, Debian tftpd-hpa)
 *   - windowsize 16 (RFC 7440): Kiln vs atftpd (Debian atftpd; it conflicts with tftpd-hpa in apt,
 *     so `apt-get download atftpd` + `dpkg -x` into a cache folder, or set KILN_ATFTPD to a binary)
 * The default export (run by bench/run.ts) is the lockstep comparison; `tftpWindowedSuite` is the
 * windowed one. Standalone, both run and print times, MB/s and ratios:
 *   npx tsx --conditions=source bench/suites/tftp.ts [--repeats 5] [--warmup 1] [--json]
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import {
  access,
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { createTftpServer, fileSource, type TftpServer } from '@kiln/rack';
import { pino } from 'pino';
import { measure } from '../lib/measure.js';
import type { BenchSuite, Stats } from '../lib/types.js';

const run = promisify(execFile);
const FILE_BYTES = 64 * 1024 * 1024;
const FILE_NAME = 'bench-64m.bin';
const BLOCK_SIZE = 1468;
const WINDOW_SIZE = 16;

interface Peer {
  readonly name: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface TftpBenchState {
  readonly dir: string;
  readonly kiln: TftpServer;
  readonly peer: Peer;
}

/** A free UDP port on loopback, for a peer daemon that needs a port number up front. */
async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** Waits until something answers a probe RRQ on the port (an ERROR for a missing file will do). */
async function waitForTftp(port: number): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const probe = Buffer.from('\x00\x01kiln-bench-probe\x00octet\x00', 'latin1');
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      const answered = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 100);
        socket.once('message', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      socket.send(probe, port, '127.0.0.1');
      if (await answered) return;
    }
    throw new Error(`Nothing answers TFTP on 127.0.0.1:${port}`);
  } finally {
    socket.close();
  }
}

async function startDaemon(
  name: string,
  command: string,
  args: (port: number) => string[],
): Promise<Peer> {
  const port = await freeUdpPort();
  const child: ChildProcess = spawn(command, args(port), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForTftp(port);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start: ${stderr}`, { cause: error });
  }
  return {
    name,
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** atftpd cannot be installed beside tftpd-hpa, so its package is unpacked into a cache folder. */
async function atftpdBinary(): Promise<string> {
  const fromEnv = process.env.KILN_ATFTPD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const cache = join(tmpdir(), 'kiln-bench-atftpd');
  const binary = join(cache, 'root', 'usr', 'sbin', 'atftpd');
  try {
    await access(binary);
    return binary;
  } catch {
    await mkdir(cache, { recursive: true });
    await run('apt-get', ['download', 'atftpd'], { cwd: cache });
    const deb = (await readdir(cache)).find((f) => f.startsWith('atftpd_') && f.endsWith('.deb'));
    if (deb === undefined) throw new Error('apt-get download atftpd produced no .deb');
    await run('dpkg', ['-x', join(cache, deb), join(cache, 'root')]);
    return binary;
  }
}

/** One fetch by the atftp client; the size is checked every time, the bytes once in setup. */
async function fetchWithAtftp(dir: string, port: number, windowed: boolean): Promise<string> {
  const out = join(dir, `out-${port}`);
  const options = [`blksize ${BLOCK_SIZE}`, ...(windowed ? [`windowsize ${WINDOW_SIZE}`] : [])];
  await run('atftp', [
    ...options.flatMap((o) => ['--option', o]),
    '-g',
    '-r',
    FILE_NAME,
    '-l',
    out,
    '127.0.0.1',
    String(port),
  ]);
  const { size } = await stat(out);
  if (size !== FILE_BYTES)
    throw new Error(`atftp got ${size} bytes from port ${port}, expected ${FILE_BYTES}`);
  return out;
}

async function setUp(windowed: boolean): Promise<TftpBenchState> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-tftp-'));
  // The peers drop root for nobody/tftp: the served tree must be world-readable.
  await chmod(dir, 0o755);
  const original = randomBytes(FILE_BYTES);
  await writeFile(join(dir, FILE_NAME), original, { mode: 0o644 });
  const kiln = await createTftpServer({
    port: 0,
    address: '127.0.0.1',
    logger: pino({ level: 'warn' }),
    resolve: async (path) => (path === FILE_NAME ? fileSource(join(dir, path)) : null),
  });
  const peer = windowed
    ? await startDaemon('atftpd', await atftpdBinary(), (port) => [
        '--daemon',
        '--no-fork',
        '--port',
        String(port),
        '--bind-address',
        '127.0.0.1',
        '--logfile',
        '/dev/null',
        dir,
      ])
    : await startDaemon('tftpd-hpa', 'in.tftpd', (port) => [
        '-L',
        '-s',
        dir,
        '-a',
        `127.0.0.1:${port}`,
      ]);
  for (const port of [kiln.address().port, peer.port]) {
    const got = await readFile(await fetchWithAtftp(dir, port, windowed));
    if (!got.equals(original)) throw new Error(`Bytes differ from the original via port ${port}`);
  }
  return { dir, kiln, peer };
}

async function tearDown(state: TftpBenchState): Promise<void> {
  await state.peer.stop();
  await state.kiln.close();
  await rm(state.dir, { recursive: true, force: true });
}

function tftpSuite(windowed: boolean): BenchSuite<TftpBenchState> {
  const mode = windowed ? `windowsize ${WINDOW_SIZE}` : 'lockstep';
  return {
    name: windowed ? 'tftp-window16' : 'tftp-lockstep',
    description: `64 MiB over TFTP on loopback, atftp client, blksize ${BLOCK_SIZE}, ${mode}`,
    setup: () => setUp(windowed),
    kiln: async (state) => {
      await fetchWithAtftp(state.dir, state.kiln.address().port, windowed);
    },
    peer: {
      name: windowed ? 'atftpd' : 'tftpd-hpa',
      run: async (state) => {
        await fetchWithAtftp(state.dir, state.peer.port, windowed);
      },
    },
    teardown: tearDown,
    warmup: 1,
    repeats: 5,
    // atftpd itself is unpacked from its .deb by the suite (it conflicts with tftpd-hpa in apt).
    debianPackages: windowed
      ? { atftp: 'atftp', dpkg: 'dpkg' }
      : { atftp: 'atftp', 'in.tftpd': 'tftpd-hpa' },
  };
}

const suite = tftpSuite(false);
export const tftpWindowedSuite = tftpSuite(true);
export default suite;

interface Row {
  readonly suite: string;
  readonly peer: string;
  readonly kiln: Stats;
  readonly peerStats: Stats;
  readonly kilnMBps: number;
  readonly peerMBps: number;
  /** Kiln throughput / peer throughput: above 1 means Kiln is faster. */
  readonly throughputRatio: number;
}

async function runStandalone(warmup: number, repeats: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const s of [suite, tftpWindowedSuite]) {
    const state = await s.setup();
    try {
      const kiln = await measure(() => s.kiln(state), warmup, repeats);
      const peerStats = await measure(() => s.peer!.run(state), warmup, repeats);
      const mbps = (ms: number): number => FILE_BYTES / 1e6 / (ms / 1000);
      rows.push({
        suite: s.name,
        peer: s.peer!.name,
        kiln,
        peerStats,
        kilnMBps: mbps(kiln.median),
        peerMBps: mbps(peerStats.median),
        throughputRatio: peerStats.median / kiln.median,
      });
    } finally {
      await s.teardown!(state);
    }
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      repeats: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  });
  const rows = await runStandalone(Number(values.warmup), Number(values.repeats));
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else {
    for (const r of rows) {
      console.log(
        `${r.suite}: kiln ${r.kiln.median.toFixed(0)} ms (±${r.kiln.mad.toFixed(0)}, ${r.kilnMBps.toFixed(1)} MB/s) | ` +
          `${r.peer} ${r.peerStats.median.toFixed(0)} ms (±${r.peerStats.mad.toFixed(0)}, ${r.peerMBps.toFixed(1)} MB/s) | ` +
          `kiln/${r.peer} throughput ${r.throughputRatio.toFixed(2)}x`,
      );
    }
  }
}
