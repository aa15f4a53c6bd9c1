import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFixture } from '../client/test-support/describe-fixture.js';
import { ProfileStore, profilesFilePath } from './profile-store.js';
import type { Profile } from './profile-schema.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-profiles-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function profile(name: string): Profile {
  return {
    name,
    url: 'http://r:5240/MAAS/api/2.0/',
    credentials: 'a:b:c',
    description: describeFixture(),
  };
}

describe('profilesFilePath', () => {
  it('prefers KILN_PROFILES_FILE, then XDG_CONFIG_HOME, then HOME', () => {
    expect(profilesFilePath({ KILN_PROFILES_FILE: '/x/p.json', HOME: '/h' })).toBe('/x/p.json');
    expect(profilesFilePath({ XDG_CONFIG_HOME: '/cfg', HOME: '/h' })).toBe(
      '/cfg/kiln/profiles.json',
    );
    expect(profilesFilePath({ HOME: '/h' })).toBe('/h/.config/kiln/profiles.json');
  });
});

describe('ProfileStore', () => {
  it('starts empty when the file does not exist', async () => {
    const store = new ProfileStore(join(dir, 'nested', 'profiles.json'));
    expect(await store.load()).toEqual({ version: 1, profiles: {} });
    expect(await store.get('admin')).toBeUndefined();
  });

  it('writes an owner-only file in an owner-only directory, leaving no partial files', async () => {
    const path = join(dir, 'nested', 'profiles.json');
    const store = new ProfileStore(path);
    await store.put(profile('admin'));
    await store.put(profile('other'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dir, 'nested'))).toEqual(['profiles.json']);
    const reloaded = await new ProfileStore(path).load();
    expect(Object.keys(reloaded.profiles).sort()).toEqual(['admin', 'other']);
    expect(reloaded.profiles.admin?.description.hash).toBe('fixture-hash');
  });

  it('keeps fields of the describe document it does not know', async () => {
    const store = new ProfileStore(join(dir, 'p.json'));
    const withExtra = profile('admin');
    (withExtra.description as Record<string, unknown>).handlers = ['kept'];
    await store.put(withExtra);
    const raw = JSON.parse(await readFile(join(dir, 'p.json'), 'utf8')) as {
      profiles: { admin: { description: { handlers: unknown } } };
    };
    expect(raw.profiles.admin.description.handlers).toEqual(['kept']);
  });

  it('removes profiles and reports unknown ones', async () => {
    const store = new ProfileStore(join(dir, 'p.json'));
    await store.put(profile('admin'));
    expect(await store.remove('nobody')).toBe(false);
    expect(await store.remove('admin')).toBe(true);
    expect((await store.load()).profiles).toEqual({});
  });

  it('does not treat prototype names as profiles', async () => {
    const store = new ProfileStore(join(dir, 'p.json'));
    expect(await store.get('constructor')).toBeUndefined();
    expect(await store.remove('__proto__')).toBe(false);
  });

  it('names the file and the problem when it is corrupt, and does not overwrite it', async () => {
    const path = join(dir, 'p.json');
    await writeFile(path, '{"version":1,"profiles":{"a":{"name":"a"}}}');
    const store = new ProfileStore(path);
    await expect(store.load()).rejects.toThrow(
      /Profiles file .*p\.json is invalid \(profiles\.a\.url/,
    );
    await expect(store.put(profile('b'))).rejects.toThrow(/invalid/);
    await writeFile(path, 'not json');
    await expect(store.load()).rejects.toThrow(/not valid JSON/);
    expect(await readFile(path, 'utf8')).toBe('not json');
  });
});
