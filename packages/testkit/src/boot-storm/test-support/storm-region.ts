import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOrCreateRackSecret } from '@kiln/region';
import { apiFetch, startTestRegion, type TestRegion } from '@kiln/region/testing';
import { makeFixtureStream, makeOpenpgpTestKey, serveDirectory } from '../../streams/index.js';

export interface StormRegion {
  readonly url: string;
  readonly rackSecret: string;
  readonly region: TestRegion;
  close(): Promise<void>;
}

async function isImporting(region: TestRegion): Promise<boolean> {
  const response = await apiFetch(region.url, 'boot-resources/?op=is_importing', {
    apiKey: region.adminApiKey,
  });
  if (!response.ok) throw new Error(`is_importing answered ${response.status}`);
  return (await response.json()) === true;
}

async function bootResourceCount(region: TestRegion): Promise<number> {
  const response = await apiFetch(region.url, 'boot-resources/', { apiKey: region.adminApiKey });
  if (!response.ok) throw new Error(`boot-resources answered ${response.status}`);
  return ((await response.json()) as unknown[]).length;
}

/**
 * A real region (SQLite) whose boot source is a signed fixture stream on loopback, with its
 * default selection (noble/amd64) imported through the region's own importer. `scale`
 * multiplies the fixture's kernel/initrd/squashfs sizes (3,000/5,000/20,000 bytes at 1).
 */
export async function startStormRegion(options: {
  scale: number;
  timeoutMs?: number;
}): Promise<StormRegion> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-storm-stream-'));
  const key = await makeOpenpgpTestKey();
  const stream = await makeFixtureStream({
    dir,
    signing: { kind: 'openpgp', key: key.signingKey },
    scale: options.scale,
  });
  const keyringPath = join(dir, 'keyring.gpg');
  await writeFile(keyringPath, key.publicKeyring);
  const server = await serveDirectory(stream.root);
  const region = await startTestRegion({
    dialect: 'sqlite',
    env: { KILN_BOOT_SOURCE_URL: server.url, KILN_BOOT_SOURCE_KEYRING: keyringPath },
  });
  const close = async (): Promise<void> => {
    await region.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 300_000);
    // The region imports its default selection by itself at start; wait until it has settled.
    for (;;) {
      if (!(await isImporting(region)) && (await bootResourceCount(region)) > 0) break;
      if (Date.now() > deadline)
        throw new Error('the region did not import the fixture stream in time');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const rackSecret = await getOrCreateRackSecret(region.region.db);
    return { url: region.url, rackSecret, region, close };
  } catch (error) {
    await close();
    throw error;
  }
}
