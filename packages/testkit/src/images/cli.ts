import { createLogger, isAppError } from '@kiln/node-kit';
import { buildImages } from './build-images.js';

const USAGE = `usage: kiln-testkit build-images --out DIR [--mirror URL] [--suite NAME] [--force]

Builds Kiln's VM test images from Debian packages (kernel, ephemeral initrd, root-tgz,
bootloaders) and publishes them as a signed simplestreams stream under DIR/stream
(keyring: DIR/keys/keyring.gpg). Needs root, mmdebstrap, apt and deb.debian.org.
`;

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

/** `kiln-testkit` entry point; writes results to stdout and problems to stderr; returns the exit code. */
export async function runTestkitCli(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '--force') flags.set('force', '1');
    else if (arg.startsWith('--') && i + 1 < rest.length) flags.set(arg.slice(2), rest[++i] ?? '');
    else {
      process.stderr.write(`unknown argument ${arg}\n${USAGE}`);
      return 2;
    }
  }
  const out = flags.get('out');
  if (command !== 'build-images' || out === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  const logger = createLogger({ level: process.env.KILN_LOG_LEVEL ?? 'warn', name: 'testkit' });
  try {
    const result = await buildImages({
      outDir: out,
      ...(flags.has('mirror') ? { mirror: flags.get('mirror') ?? '' } : {}),
      suite: flags.get('suite') ?? 'bookworm',
      force: flags.has('force'),
      logger,
      onPhase: (phase, seconds) => process.stderr.write(`  ${phase}: ${seconds.toFixed(1)} s\n`),
    });
    const lines = [
      `key ${result.key.slice(0, 16)} (${result.cached ? 'cached' : 'built'})`,
      ...Object.entries(result.files).map(
        ([k, f]) => `${k.padEnd(9)} ${mib(f.size).padStart(10)}  ${f.path}`,
      ),
      `stream    ${result.streamDir}/streams/v1/index.sjson`,
      `keyring   ${result.keyringPath}`,
      `disk      ${mib(result.diskBytes)} under ${out}`,
      `time      ${result.totalSeconds.toFixed(1)} s`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    const code = isAppError(error) ? error.code : 'IMAGE_BUILD_FAILED';
    process.stderr.write(`${code}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
