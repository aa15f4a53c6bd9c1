import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../../auth/index.js';
import { loadConfig } from '@kiln/node-kit';
import { describeEachDialect } from '@kiln/testkit';
import { expect, it } from 'vitest';
import { setConfigValue } from '../../maas-config/index.js';
import { startRegion, type RunningRegion } from '../../server/index.js';
import { apiFetch, formBody, oauthHeader } from '../../testing/index.js';
import { createAdmin } from '../../users/index.js';

const CHUNK = 1 << 22;

interface FileJson {
  sha256: string;
  size: number;
  complete: boolean;
  received: number;
  upload_uri?: string;
  progress?: number;
}

function newestFile(resource: {
  sets: Record<string, { files: Record<string, FileJson> }>;
}): FileJson {
  const versions = Object.keys(resource.sets).sort();
  const set = resource.sets[versions[versions.length - 1] ?? ''];
  const file = Object.values(set?.files ?? {})[0];
  if (file === undefined) throw new Error('no file in the newest set');
  return file;
}

describeEachDialect('custom image uploads', (context) => {
  it('uploads 200 MB in 4 MiB chunks, survives a region restart half-way, and ends verified', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kiln-upload-'));
    const config = loadConfig({
      env: {
        KILN_DATA_DIR: dataDir,
        KILN_DATABASE_URL: context.database().url,
        KILN_LISTEN_ADDRESS: '127.0.0.1',
        KILN_REGION_PORT: '0',
        KILN_BOOT_SOURCE_KEYRING: join(dataDir, 'no-keyring.gpg'),
      },
    });
    const content = randomBytes(200 * 1024 * 1024);
    const sha256 = createHash('sha256').update(content).digest('hex');
    let region: RunningRegion | undefined = await startRegion({ config });
    try {
      await setConfigValue(region.db, 'boot_images_auto_import', 'false');
      await createAdmin(region.db, {
        username: 'admin',
        password: 'pw-admin-1',
        email: 'a@example.com',
      });
      const key = await createApiKey(region.db, 'admin', 'test');
      const fields = {
        name: 'custom/big',
        architecture: 'amd64/generic',
        filetype: 'ddraw',
        sha256,
        size: String(content.length),
      };
      const created = await apiFetch(region.url, 'boot-resources/', {
        method: 'POST',
        apiKey: key,
        body: formBody(fields),
      });
      expect(created.status).toBe(201);
      const resource = (await created.json()) as {
        id: number;
        name: string;
        type: string;
        sets: Record<string, { files: Record<string, FileJson> }>;
      };
      expect(resource).toMatchObject({
        name: 'big',
        type: 'Uploaded',
        architecture: 'amd64/generic',
      });
      const file = newestFile(resource);
      expect(file).toMatchObject({ sha256, size: content.length, complete: false, received: 0 });
      const uploadUri = file.upload_uri ?? '';
      expect(uploadUri).toMatch(/^\/MAAS\/api\/2\.0\/boot-resources\/\d+\/upload\/\d+\/$/);
      const half = Math.floor(content.length / CHUNK / 2) * CHUNK;
      for (let at = 0; at < half; at += CHUNK) {
        const response = await fetch(new URL(uploadUri, region.url), {
          method: 'PUT',
          headers: { authorization: oauthHeader(key), 'content-type': 'application/octet-stream' },
          body: content.subarray(at, at + CHUNK),
        });
        expect(response.status).toBe(200);
      }
      await region.close();
      region = await startRegion({ config });

      // The client re-runs create: same resource and file, and `received` says where to go on.
      const again = await apiFetch(region.url, 'boot-resources/', {
        method: 'POST',
        apiKey: key,
        body: formBody(fields),
      });
      expect(again.status).toBe(201);
      const resumed = newestFile(
        (await again.json()) as { sets: Record<string, { files: Record<string, FileJson> }> },
      );
      expect(resumed.upload_uri).toBe(uploadUri);
      expect(resumed.received).toBe(half);
      expect(resumed.progress).toBeCloseTo((100 * half) / content.length, 0);
      for (let at = resumed.received; at < content.length; at += CHUNK) {
        const response = await fetch(new URL(uploadUri, region.url), {
          method: 'PUT',
          headers: { authorization: oauthHeader(key), 'content-type': 'application/octet-stream' },
          body: content.subarray(at, at + CHUNK),
        });
        expect(response.status).toBe(200);
      }
      const done = (await (
        await apiFetch(region.url, `boot-resources/${resource.id}/`, { apiKey: key })
      ).json()) as {
        sets: Record<string, { complete: boolean; files: Record<string, FileJson> }>;
      };
      expect(newestFile(done)).toMatchObject({ complete: true, received: content.length });
      expect(newestFile(done).upload_uri).toBeUndefined();
      const stored = await readFile(join(dataDir, 'image-storage', sha256));
      expect(createHash('sha256').update(stored).digest('hex')).toBe(sha256);

      // A complete file refuses more data; the same content under another name completes at once.
      const more = await fetch(new URL(uploadUri, region.url), {
        method: 'PUT',
        headers: { authorization: oauthHeader(key), 'content-type': 'application/octet-stream' },
        body: Buffer.from('x'),
      });
      expect(more.status).toBe(400);
      expect(await more.text()).toBe('Cannot upload to a complete file.');
      const dup = await apiFetch(region.url, 'boot-resources/', {
        method: 'POST',
        apiKey: key,
        body: formBody({ ...fields, name: 'custom/same-bytes' }),
      });
      expect(dup.status).toBe(201);
      expect(
        newestFile(
          (await dup.json()) as { sets: Record<string, { files: Record<string, FileJson> }> },
        ).complete,
      ).toBe(true);
    } finally {
      await region.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
