import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_PURPOSES, ephemeralAnswer } from './fixtures.test-support.js';
import { renderGrubBootstrap, renderGrubConfig } from './grub-config.js';

/** GRUB's own parser (grub-script-check, Debian package grub-common) accepts every config Kiln renders. */
const GRUB_SCRIPT_CHECK = '/usr/bin/grub-script-check';
const run = promisify(execFile);
const missing = !existsSync(GRUB_SCRIPT_CHECK);
if (missing)
  console.warn(
    `Skipping GRUB syntax checks: ${GRUB_SCRIPT_CHECK} is missing (Debian package grub-common)`,
  );

describe.skipIf(missing)('rendered GRUB configs pass grub-script-check', () => {
  let dir: string;
  let counter = 0;
  const check = async (text: string): Promise<void> => {
    counter += 1;
    const file = join(dir, `grub-${counter}.cfg`);
    await writeFile(file, text);
    await run(GRUB_SCRIPT_CHECK, [file]);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-grub-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts the static grub/grub.cfg', async () => {
    await check(renderGrubBootstrap());
  });

  it.each(ALL_PURPOSES)('accepts %s over TFTP and HTTP', async (_name, answer) => {
    await check(renderGrubConfig(answer, { protocol: 'tftp' }));
    await check(renderGrubConfig(answer, { protocol: 'http' }));
  });

  it('accepts kernel options full of GRUB syntax characters', async () => {
    const answer = ephemeralAnswer({
      kernel_opts: 'a=$x b={c} d=";" e=\'|\' f=<g> h=#i k=\\',
      kparams: 'j&k',
    });
    await check(renderGrubConfig(answer, { protocol: 'tftp' }));
  });

  it('rejects what GRUB cannot parse (the check is not vacuous)', async () => {
    await expect(check("menuentry 'x' {\n    linux /k cc:{'a': 1\n")).rejects.toThrow();
  });
});
