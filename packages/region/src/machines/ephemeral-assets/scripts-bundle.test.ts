import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout, unlessAvailable } from '@kiln/testkit';
import { buildScriptsBundle, loadBuiltinScripts, SCRIPTS_INDEX_HEADER } from './scripts-bundle.js';
import { writeTar } from './tar-writer.js';
import { commandExists, runProgram } from './test-support/processes.js';

const haveBusybox = await commandExists('busybox');

describe('scripts bundle', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-bundle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('holds index, index.json and every built-in script with its sha256; GNU tar lists it', async () => {
    const scripts = await loadBuiltinScripts();
    const bundle = buildScriptsBundle(scripts.map((s, i) => ({ ...s, scriptResultId: i + 1 })));
    await writeFile(join(dir, 'b.tar'), bundle.tar);
    const listing = await runProgram('tar', ['-tvf', join(dir, 'b.tar')]);
    expect(listing.code).toBe(0);
    const names = listing.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).at(-1));
    expect(names).toEqual([
      'index',
      'index.json',
      'scripts/',
      ...scripts.map((s) => `scripts/${s.name}`),
    ]);
    expect(listing.stdout).toContain('-rwxr-xr-x root/root');
    const x = await runProgram('tar', ['-xf', join(dir, 'b.tar'), '-C', dir]);
    expect(x.code).toBe(0);
    const index = (await readFile(join(dir, 'index'), 'utf8')).trimEnd().split('\n');
    expect(index[0]).toBe(SCRIPTS_INDEX_HEADER);
    for (const [i, s] of scripts.entries()) {
      const sha = createHash('sha256')
        .update(await readFile(join(dir, 'scripts', s.name)))
        .digest('hex');
      expect(index[i + 1]).toBe(`${s.name} 300 ${sha} ${i + 1}`);
    }
    expect(JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'))).toEqual({
      format: SCRIPTS_INDEX_HEADER,
      scripts: bundle.index,
    });
    expect(bundle.sha256).toBe(createHash('sha256').update(bundle.tar).digest('hex'));
  });

  it('the same scripts always give the same bytes', async () => {
    const scripts = await loadBuiltinScripts();
    expect(buildScriptsBundle(scripts).sha256).toBe(buildScriptsBundle(scripts).sha256);
  });

  it.skipIf(skipWithout(unlessAvailable(haveBusybox, 'busybox is not installed')))(
    'busybox tar extracts odd sizes intact',
    async () => {
      const odd = Buffer.alloc(1537, 7);
      const tar = writeTar([
        { name: 'a/', mode: 0o755 },
        { name: 'a/odd', mode: 0o600, content: odd },
        { name: 'empty', mode: 0o644, content: Buffer.alloc(0) },
      ]);
      const out = join(dir, 'bb');
      await runProgram('mkdir', ['-p', out]);
      await writeFile(join(dir, 'odd.tar'), tar);
      const x = await runProgram('busybox', ['tar', '-xf', join(dir, 'odd.tar'), '-C', out]);
      expect(x.stderr).toBe('');
      expect((await readFile(join(out, 'a/odd'))).equals(odd)).toBe(true);
      expect(await readFile(join(out, 'empty'), 'utf8')).toBe('');
    },
  );

  it.each([
    ['a path', [{ name: '../evil', content: Buffer.from('x') }]],
    [
      'a repeated name',
      [
        { name: 'a', content: Buffer.from('x') },
        { name: 'a', content: Buffer.from('y') },
      ],
    ],
    ['a zero timeout', [{ name: 'a', content: Buffer.from('x'), timeoutSeconds: 0 }]],
  ])('refuses %s', (_name, scripts) => {
    expect(() => buildScriptsBundle(scripts)).toThrow(
      expect.objectContaining({ code: 'MACHINE_SCRIPTS_BUNDLE_INVALID', status: 400 }),
    );
  });
});
