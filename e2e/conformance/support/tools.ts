import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * MAAS's CLI as shipped beside the repository (`../shared/clients/maascli` in CI); in a worktree
 * under /work/wt the shared folder is two levels up. KILN_MAASCLI_SRC overrides both.
 */
export function maascliSource(): string {
  const candidates = [
    process.env['KILN_MAASCLI_SRC'],
    join(REPO_ROOT, '../shared/clients/maascli/src'),
    join(REPO_ROOT, '../../shared/clients/maascli/src'),
  ].filter((c): c is string => c !== undefined && c !== '');
  return candidates.find((c) => existsSync(join(c, 'maascli'))) ?? candidates[0] ?? '';
}

export const DEBIAN_PYTHON = '/usr/bin/python3';
export const GOMAASAPI_SRC = '/usr/share/gocode/src/github.com/juju/gomaasapi';
export const DEBIAN_GO = '/usr/bin/go';
export const CLOUD_INIT_MAAS = '/usr/lib/python3/dist-packages/cloudinit/sources/DataSourceMAAS.py';

/**
 * The tools a suite needs that are missing. A conformance test that cannot reach its client must
 * fail, not pass quietly: callers throw with this list (the CI installs every one of them).
 */
export function missingTools(paths: Readonly<Record<string, string>>): string[] {
  return Object.entries(paths)
    .filter(([, path]) => !existsSync(path))
    .map(([what, path]) => `${what} (${path})`);
}

export function requireTools(paths: Readonly<Record<string, string>>): void {
  const missing = missingTools(paths);
  if (missing.length > 0) {
    throw new Error(
      `conformance clients missing: ${missing.join(', ')} — .ci/run installs them (apt-get)`,
    );
  }
}
