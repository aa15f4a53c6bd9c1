import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function onPath(binary: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v "$1"`, 'sh', binary]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs the Debian packages whose binaries are missing (as root, under the shared apt lock)
 * and returns the packages installed. Not root: names what to install and fails.
 */
export async function ensureDebianPackages(
  wanted: Readonly<Record<string, string>>,
): Promise<string[]> {
  const missing: string[] = [];
  for (const [binary, pkg] of Object.entries(wanted)) {
    if (!(await onPath(binary)) && !missing.includes(pkg)) missing.push(pkg);
  }
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0)
    throw new Error(`peer tools missing; install them first: apt-get install ${missing.join(' ')}`);
  await run('flock', ['/tmp/kiln-apt.lock', 'apt-get', 'install', '-y', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 16 << 20,
  });
  return missing;
}
