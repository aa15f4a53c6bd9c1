import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout, unlessAvailable } from '@kiln/testkit';
import {
  ASSET_FILES,
  EPHEMERAL_ASSETS_DIR,
  SCRIPTS_DIR_NAME,
  TESTING_SCRIPTS_DIR_NAME,
} from './asset-paths.js';
import { commandExists, runProgram } from './test-support/processes.js';
import {
  renderCommissioningUserData,
  renderEnlistUserData,
  renderInstallerUserData,
} from './user-data.js';

// Every program that runs on a machine passes Debian's shellcheck as POSIX sh, and parses under
// dash, busybox ash and bash (the shells an ephemeral image may have as /bin/sh).

const haveShellcheck = await commandExists('shellcheck');
const creds = { consumer_key: 'c', token_key: 't', token_secret: 's' };

async function allScripts(): Promise<string[]> {
  const scripts = Object.values(ASSET_FILES).map((f) => join(EPHEMERAL_ASSETS_DIR, f));
  const bundled: string[] = [];
  for (const folder of [SCRIPTS_DIR_NAME, TESTING_SCRIPTS_DIR_NAME]) {
    const dir = join(EPHEMERAL_ASSETS_DIR, folder);
    bundled.push(...(await readdir(dir)).map((f) => join(dir, f)));
  }
  return [...scripts, ...bundled];
}

describe.skipIf(skipWithout(unlessAvailable(haveShellcheck, 'shellcheck is not installed')))(
  'shellcheck',
  () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kiln-shellcheck-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('every asset script is clean (sourced files followed)', async () => {
      const scripts = await allScripts();
      expect(scripts.length).toBeGreaterThanOrEqual(13);
      const result = await runProgram('shellcheck', [
        '-s',
        'sh',
        '-x',
        '-P',
        'SCRIPTDIR',
        ...scripts,
      ]);
      expect(result.stdout).toBe('');
      expect(result.code).toBe(0);
    });

    it('the rendered user-data scripts are clean too', async () => {
      const files = {
        'enlist-user-data': await renderEnlistUserData({
          maasUrl: 'http://rack:5248/MAAS/',
          commission: false,
        }),
        'install-user-data': await renderInstallerUserData({
          configUrl: "http://rack:5248/it's",
          credentials: creds,
        }),
        'commission-user-data': await renderCommissioningUserData({
          metadataUrl: 'http://rack:5248/MAAS/metadata/',
          credentials: creds,
        }),
      };
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
      const result = await runProgram('shellcheck', [
        '-s',
        'sh',
        ...Object.keys(files).map((n) => join(dir, n)),
      ]);
      expect(result.stdout).toBe('');
      expect(result.code).toBe(0);
    });

    it.each(['dash', 'bash', 'busybox ash'])('every script parses under %s', async (shell) => {
      const [cmd = 'sh', ...args] = shell.split(' ');
      if (!(await commandExists(cmd))) return;
      for (const script of await allScripts()) {
        const result = await runProgram(cmd, [...args, '-n', script]);
        expect(result.stderr, script).toBe('');
        expect(result.code).toBe(0);
      }
    });
  },
);
