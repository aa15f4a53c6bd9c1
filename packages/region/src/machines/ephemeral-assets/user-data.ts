import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { NodeCredentials } from '../install-config/index.js';
import { shellQuote } from '../install-config/index.js';
import { ASSET_FILES, EPHEMERAL_ASSETS_DIR, assetPath } from './asset-paths.js';

/**
 * User-data scripts for the ephemeral environment: cloud-init runs them, they unpack Kiln's
 * programs (carried inline, like MAAS's self-extracting curtin installer) and exec one of them.
 * Carrying the programs in the user-data means an ephemeral image never has to be rebuilt to pick
 * up a newer installer; the metadata server serves these only to the machine's own token.
 */

async function embed(files: readonly string[], dir: string): Promise<string> {
  const parts: string[] = [];
  for (const name of files) {
    const content = await readFile(assetPath(name, dir), 'utf8');
    // A delimiter derived from the content cannot occur in that content as a whole line.
    const tag = `KILN_EOF_${createHash('sha256').update(content).digest('hex').slice(0, 16)}`;
    parts.push(
      `cat >"$d/${name}" <<'${tag}'\n${content}${content.endsWith('\n') ? '' : '\n'}${tag}\nchmod 0755 "$d/${name}"`,
    );
  }
  return parts.join('\n');
}

function oauthValue(credentials: NodeCredentials): string {
  return shellQuote(
    `${credentials.consumer_key}:${credentials.token_key}:${credentials.token_secret}`,
  );
}

const PRELUDE = '#!/bin/sh\nset -e\nd=$(mktemp -d "${TMPDIR:-/tmp}/kiln.XXXXXX")\n';

export interface InstallerUserDataOptions {
  /** URL of the machine's install config (shell form). */
  readonly configUrl: string;
  readonly credentials: NodeCredentials;
  readonly assetsDir?: string;
}

export async function renderInstallerUserData(options: InstallerUserDataOptions): Promise<string> {
  const files = await embed(
    [
      ASSET_FILES.library,
      ASSET_FILES.installerSteps,
      ASSET_FILES.installerDisk,
      ASSET_FILES.installer,
    ],
    options.assetsDir ?? EPHEMERAL_ASSETS_DIR,
  );
  return `${PRELUDE}# Kiln deployment: kiln-install writes the disk and reports each stage.\n${files}\nKILN_OAUTH=${oauthValue(options.credentials)} exec "$d/${ASSET_FILES.installer}" --config-url ${shellQuote(options.configUrl)}\n`;
}

export interface CommissioningUserDataOptions {
  /** The metadata root, `http://<rack>:5248/MAAS/metadata/`. */
  readonly metadataUrl: string;
  readonly credentials: NodeCredentials;
  readonly assetsDir?: string;
}

export async function renderCommissioningUserData(
  options: CommissioningUserDataOptions,
): Promise<string> {
  const files = await embed(
    [ASSET_FILES.library, ASSET_FILES.commissioning],
    options.assetsDir ?? EPHEMERAL_ASSETS_DIR,
  );
  return `${PRELUDE}# Kiln commissioning: kiln-commission runs the scripts bundle and signals results.\n${files}\nKILN_OAUTH=${oauthValue(options.credentials)} exec "$d/${ASSET_FILES.commissioning}" --metadata-url ${shellQuote(options.metadataUrl)}\n`;
}

export interface EnlistUserDataOptions {
  /** The MAAS root the API lives under, `http://<rack>:5248/MAAS/`. */
  readonly maasUrl: string;
  /** Default `<maasUrl>metadata/`. */
  readonly metadataUrl?: string;
  /** false: only create the machine, do not commission it. Default true. */
  readonly commission?: boolean;
  readonly assetsDir?: string;
}

/** Anonymous: an unknown machine has no token until kiln-enlist has created it. */
export async function renderEnlistUserData(options: EnlistUserDataOptions): Promise<string> {
  const files = await embed(
    [ASSET_FILES.library, ASSET_FILES.commissioning, ASSET_FILES.enlistment],
    options.assetsDir ?? EPHEMERAL_ASSETS_DIR,
  );
  const args = [`--maas-url ${shellQuote(options.maasUrl)}`];
  if (options.metadataUrl !== undefined)
    args.push(`--metadata-url ${shellQuote(options.metadataUrl)}`);
  if (options.commission === false) args.push('--no-commission');
  return `${PRELUDE}# Kiln enlistment: kiln-enlist creates this machine, then commissions it.\n${files}\nexec "$d/${ASSET_FILES.enlistment}" ${args.join(' ')}\n`;
}
