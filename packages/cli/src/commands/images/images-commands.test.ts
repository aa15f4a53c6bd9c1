import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@kiln/node-kit';
import { openRegionDatabase } from '@kiln/region';
import { insertBootResourceFile } from '@kiln/region/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureIo } from '../../client/test-support/capture-io.js';
import { runCli } from '../../program.js';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('kiln images verify | watch', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-images-cli-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function seed(): Promise<{ good: string; bad: string }> {
    const database = await openRegionDatabase(loadConfig({ env: { KILN_DATA_DIR: dir } }));
    const files = { good: 'good image bytes', bad: 'bad image bytes' };
    try {
      for (const [name, content] of Object.entries(files)) {
        await insertBootResourceFile(database.db, {
          type: 2,
          name,
          architecture: 'amd64/generic',
          version: '20260101',
          label: 'uploaded',
          filename: 'root-tgz',
          filetype: 'root-tgz',
          sha256: sha(content),
          size: content.length,
        });
      }
    } finally {
      await database.close();
    }
    await mkdir(join(dir, 'image-storage'), { recursive: true });
    await writeFile(join(dir, 'image-storage', sha(files.good)), files.good);
    await writeFile(join(dir, 'image-storage', sha(files.bad)), 'bad image bytez');
    await writeFile(join(dir, 'image-storage', `${sha(files.bad)}.partial`), 'bad im');
    return { good: sha(files.good), bad: sha(files.bad) };
  }

  it('verify reports and quarantines a mismatching file and exits 1', async () => {
    const { bad } = await seed();
    const first = captureIo({ KILN_DATA_DIR: dir });
    expect(await runCli(['node', 'kiln', 'images', 'verify'], first.io)).toBe(1);
    expect(first.stderr()).toContain(`MISMATCH ${bad}`);
    expect(first.stdout()).toContain('2 files verified');
    const second = captureIo({ KILN_DATA_DIR: dir });
    expect(await runCli(['node', 'kiln', 'images', 'verify', '--quarantine'], second.io)).toBe(1);
    expect(second.stderr()).toContain('quarantine');
    expect(await readdir(join(dir, 'image-storage/quarantine'))).toHaveLength(1);
    const third = captureIo({ KILN_DATA_DIR: dir });
    expect(await runCli(['node', 'kiln', 'images', 'verify'], third.io)).toBe(1);
    expect(third.stderr()).toContain(`MISSING ${bad}`);
  });

  it('watch --once prints overall and per-resource progress from the data directory', async () => {
    await seed();
    const out = captureIo({ KILN_DATA_DIR: dir });
    expect(await runCli(['node', 'kiln', 'images', 'watch', '--once'], out.io)).toBe(0);
    const lines = out.stdout().trim().split('\n');
    expect(lines[0]).toMatch(/^idle: /);
    // No sync records yet: the bad file's partial counts, the good one (not reconciled) does not.
    expect(lines.find((l) => l.includes(' bad '))).toMatch(/^ 40% bad amd64\/generic 20260101/);
    expect(lines.find((l) => l.includes(' good '))).toMatch(/^ {2}0% good /);
  });
});
