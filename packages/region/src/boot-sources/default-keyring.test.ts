import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, silentLogger } from '@kiln/node-kit';
import { parseKeyring } from '@kiln/simplestreams';
import { describeEachDialect } from '@kiln/testkit';
import { describe, expect, it } from 'vitest';
import { openRegionDatabase } from '../server/open-region-database.js';
import {
  BUNDLED_CLOUDIMAGE_KEYRING,
  deleteBootSource,
  ensureDefaultBootSource,
  keyringFileFor,
  listBootSources,
  SYSTEM_CLOUDIMAGE_KEYRING,
} from './index.js';

const UBUNTU_CLOUD_KEYS = [
  '4A3CE3CD565D7EB5C810E2B97FF3F408476CF100', // Ubuntu Cloud Image Builder
  'D2EB44626FDDC30B513D5BB71A5D6C4C7DB87C81', // UEC Image Automatic Signing Key
];

describe("Kiln's copy of Ubuntu's cloud-image keyring", () => {
  it('holds exactly the two public keys of Ubuntu’s keyring (checked by the real gpg)', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kiln-gpg-'));
    try {
      const out = execFileSync(
        'gpg',
        ['--homedir', home, '--with-colons', '--show-keys', BUNDLED_CLOUDIMAGE_KEYRING],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const lines = out.split('\n');
      // Primary keys only: the fpr line that follows each pub line.
      const primaries = lines
        .map((line, i) => (lines[i - 1]?.startsWith('pub:') === true ? line : ''))
        .filter((line) => line.startsWith('fpr:'))
        .map((line) => line.split(':')[9]);
      expect(primaries.sort()).toEqual(UBUNTU_CLOUD_KEYS);
      expect(out).toContain('UEC Image Automatic Signing Key <cdimage@ubuntu.com>');
      expect(out).toContain('Ubuntu Cloud Image Builder');
      expect(out).not.toMatch(/^sec:/m);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
    // And the stream verifier reads it as the same two keys.
    const keyring = await parseKeyring(await readFile(BUNDLED_CLOUDIMAGE_KEYRING));
    expect([...keyring.fingerprints].sort()).toEqual(UBUNTU_CLOUD_KEYS);
  });

  it("is used for the system keyring's name only where the system file does not exist", () => {
    expect(keyringFileFor(SYSTEM_CLOUDIMAGE_KEYRING)).toBe(
      existsSync(SYSTEM_CLOUDIMAGE_KEYRING)
        ? SYSTEM_CLOUDIMAGE_KEYRING
        : BUNDLED_CLOUDIMAGE_KEYRING,
    );
    // Another missing file is read as named, so its absence is reported, not papered over.
    expect(keyringFileFor('/nonexistent/keyring.gpg')).toBe('/nonexistent/keyring.gpg');
  });
});

describeEachDialect('the default boot source', (context) => {
  it('is created on the first start only: a deleted default source stays deleted', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kiln-default-source-'));
    const config = loadConfig({
      env: { KILN_DATA_DIR: dataDir, KILN_DATABASE_URL: context.database().url },
    });
    const start = async () => {
      const database = await openRegionDatabase(config);
      try {
        const created = await ensureDefaultBootSource(
          database.db,
          database.dialect,
          config,
          silentLogger(),
        );
        return { created, sources: await listBootSources(database.db), database };
      } catch (error) {
        await database.close();
        throw error;
      }
    };
    try {
      const first = await start();
      expect(first.created).toBe(true);
      expect(first.sources.map((s) => [s.url, s.keyring_filename])).toEqual([
        ['http://images.maas.io/ephemeral-v3/stable/', SYSTEM_CLOUDIMAGE_KEYRING],
      ]);
      await first.database.db
        .transaction()
        .execute((trx) => deleteBootSource(trx, first.sources[0]?.id ?? 0));
      await first.database.close();

      const second = await start();
      expect([second.created, second.sources]).toEqual([false, []]);
      await second.database.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
