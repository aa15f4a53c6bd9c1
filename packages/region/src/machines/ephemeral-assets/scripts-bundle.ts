import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@kiln/node-kit';
import { EPHEMERAL_ASSETS_DIR, SCRIPTS_DIR_NAME } from './asset-paths.js';
import { writeTar } from './tar-writer.js';

/**
 * The commissioning scripts bundle served at `/MAAS/metadata/<v>/maas-scripts`: a tar holding
 * `index` (what kiln-commission reads: a `kiln-scripts 1` line, then `NAME TIMEOUT SHA256
 * RESULT_ID|-` per script, in run order), `index.json` (the same for programs) and
 * `scripts/<name>`. kiln-commission refuses to run a script whose sha256 differs from the index.
 */

export const SCRIPTS_INDEX_HEADER = 'kiln-scripts 1';
export const DEFAULT_SCRIPT_TIMEOUT_SECONDS = 300;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface BundleScript {
  readonly name: string;
  readonly content: Buffer;
  readonly timeoutSeconds?: number;
  /** The region's ScriptResult id, echoed back in each signal as `script_result_id`. */
  readonly scriptResultId?: number;
}

export interface BundleIndexEntry {
  readonly name: string;
  readonly sha256: string;
  readonly timeout_seconds: number;
  readonly script_result_id: number | null;
}

export interface ScriptsBundle {
  readonly tar: Buffer;
  readonly sha256: string;
  readonly index: readonly BundleIndexEntry[];
}

/** Kiln's built-in commissioning scripts, in run order (file name order). */
export async function loadBuiltinScripts(
  dir = join(EPHEMERAL_ASSETS_DIR, SCRIPTS_DIR_NAME),
): Promise<BundleScript[]> {
  const names = (await readdir(dir)).filter((n) => SAFE_NAME.test(n)).sort();
  return Promise.all(
    names.map(async (name) => ({ name, content: await readFile(join(dir, name)) })),
  );
}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export function buildScriptsBundle(scripts: readonly BundleScript[]): ScriptsBundle {
  const seen = new Set<string>();
  const index = scripts.map((script): BundleIndexEntry => {
    if (!SAFE_NAME.test(script.name) || seen.has(script.name)) {
      throw new AppError(
        'MACHINE_SCRIPTS_BUNDLE_INVALID',
        `Script name '${script.name}' is invalid or repeated (letters, digits, . _ -; at most 64).`,
        { details: { name: script.name } },
      );
    }
    seen.add(script.name);
    const timeout = script.timeoutSeconds ?? DEFAULT_SCRIPT_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeout) || timeout <= 0) {
      throw new AppError(
        'MACHINE_SCRIPTS_BUNDLE_INVALID',
        `Script ${script.name}: timeout must be a positive integer.`,
        {
          details: { name: script.name, timeout },
        },
      );
    }
    return {
      name: script.name,
      sha256: sha256(script.content),
      timeout_seconds: timeout,
      script_result_id: script.scriptResultId ?? null,
    };
  });
  const indexText = [
    SCRIPTS_INDEX_HEADER,
    ...index.map((e) => `${e.name} ${e.timeout_seconds} ${e.sha256} ${e.script_result_id ?? '-'}`),
  ].join('\n');
  const tar = writeTar([
    { name: 'index', mode: 0o644, content: Buffer.from(`${indexText}\n`) },
    {
      name: 'index.json',
      mode: 0o644,
      content: Buffer.from(
        `${JSON.stringify({ format: SCRIPTS_INDEX_HEADER, scripts: index }, null, 2)}\n`,
      ),
    },
    { name: 'scripts/', mode: 0o755 },
    ...scripts.map((s) => ({ name: `scripts/${s.name}`, mode: 0o755, content: s.content })),
  ]);
  return { tar, sha256: sha256(tar), index };
}
