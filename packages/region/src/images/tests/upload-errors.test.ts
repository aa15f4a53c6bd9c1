import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describeEachDialect } from '@kiln/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setConfigValue } from '../../maas-config/index.js';
import {
  apiFetch,
  formBody,
  insertBootResourceFile,
  oauthHeader,
  startTestRegion,
  type TestRegion,
} from '../../testing/index.js';

interface Created {
  id: number;
  sets: Record<
    string,
    { files: Record<string, { upload_uri?: string; complete: boolean; filetype?: string }> }
  >;
}

function uploadUri(resource: Created): string {
  const set = Object.values(resource.sets)[0];
  return Object.values(set?.files ?? {})[0]?.upload_uri ?? '';
}

/** A PUT whose Content-Length promises more than the body holds (the socket half-closes after the body). */
function shortPut(url: URL, key: string, declared: number, body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(
        `PUT ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${oauthHeader(key)}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${declared}\r\nConnection: close\r\n\r\n`,
      );
      socket.end(body);
    });
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describeEachDialect('boot-resources API rules', (context) => {
  let region: TestRegion;
  const content = Buffer.from('a small custom image, not really a tarball');
  const sha256 = createHash('sha256').update(content).digest('hex');
  beforeAll(async () => {
    region = await startTestRegion({ dialect: context.dialect });
    await setConfigValue(region.region.db, 'boot_images_auto_import', 'false');
  });
  afterAll(() => region.close());

  const create = async (fields: Record<string, string>): Promise<Response> =>
    apiFetch(region.url, 'boot-resources/', {
      method: 'POST',
      apiKey: region.adminApiKey,
      body: formBody(fields),
    });
  const putChunk = (uri: string, body: Buffer): Promise<Response> =>
    fetch(new URL(uri, region.url), {
      method: 'PUT',
      headers: {
        authorization: oauthHeader(region.adminApiKey),
        'content-type': 'application/octet-stream',
      },
      body,
    });

  it('answers every upload rule with MAAS text', async () => {
    const response = await create({
      name: 'rules',
      architecture: 'amd64/generic',
      sha256,
      size: String(content.length),
    });
    expect(response.status).toBe(201);
    const uri = uploadUri((await response.json()) as Created);

    const empty = await putChunk(uri, Buffer.alloc(0));
    expect([empty.status, await empty.text()]).toEqual([400, 'Missing data.']);
    const short = await shortPut(
      new URL(uri, region.url),
      region.adminApiKey,
      30,
      content.subarray(0, 10),
    );
    expect(short).toMatch(/^HTTP\/1\.1 400/);
    const tooMuch = await putChunk(uri, Buffer.concat([content, Buffer.from('!')]));
    expect([tooMuch.status, await tooMuch.text()]).toEqual([400, 'Too much data received.']);
    const wrong = Buffer.from(content);
    wrong[3] = 0x21;
    const mismatch = await putChunk(uri, wrong);
    expect([mismatch.status, await mismatch.text()]).toEqual([
      400,
      'Saved content does not match given SHA256 value.',
    ]);
    expect(
      (await readdir(join(region.config.dataDir, 'image-storage'))).filter((n) =>
        n.startsWith(sha256),
      ),
    ).toEqual([]);
    // After the refused content the upload starts again from byte 0 and completes.
    expect((await putChunk(uri, content.subarray(0, 7))).status).toBe(200);
    expect((await putChunk(uri, content.subarray(7))).status).toBe(200);
    const complete = await putChunk(uri, content);
    expect([complete.status, await complete.text()]).toEqual([
      400,
      'Cannot upload to a complete file.',
    ]);
    const asUser = await fetch(new URL(uri, region.url), {
      method: 'PUT',
      headers: {
        authorization: oauthHeader(region.userApiKey),
        'content-type': 'application/octet-stream',
      },
      body: content,
    });
    expect(asUser.status).toBe(403);
  });

  it('takes the whole content as a file part and serves it by sha256', async () => {
    const form = new FormData();
    form.append('name', 'custom/whole');
    form.append('architecture', 'amd64/generic');
    form.append('filetype', 'tgz');
    form.append('content', new Blob([content]), 'image.tgz');
    const response = await apiFetch(region.url, 'boot-resources/', {
      method: 'POST',
      apiKey: region.adminApiKey,
      body: form,
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as Created & { base_image: string };
    expect(created.base_image).toBe('ubuntu/noble');
    const file = Object.values(Object.values(created.sets)[0]?.files ?? {})[0];
    expect(file).toMatchObject({ complete: true, filetype: 'root-tgz', sha256 });
    const served = await fetch(new URL(`boot-resources/${sha256}/`, region.url));
    expect(Buffer.from(await served.arrayBuffer()).equals(content)).toBe(true);
  });

  it('refuses uploads to synced resources with 403', async () => {
    const { resourceId, fileId } = await insertBootResourceFile(region.region.db, {
      type: 0,
      name: 'ubuntu/noble',
      architecture: 'amd64/ga-24.04',
      version: '20250718',
      label: 'stable',
      filename: 'squashfs',
      filetype: 'squashfs',
      sha256: 'f'.repeat(64),
      size: 10,
    });
    const refused = await putChunk(
      `/MAAS/api/2.0/boot-resources/${resourceId}/upload/${fileId}/`,
      content,
    );
    expect(refused.status).toBe(403);
    expect(await refused.text()).toBe(
      'Cannot upload to a resource that is not an uploaded resource.',
    );
    const reserved = await create({ name: 'ubuntu', architecture: 'amd64/generic', content: 'x' });
    expect(reserved.status).toBe(400);
  });

  it('validates create and the list type filter, and deletes', async () => {
    const bad = await create({
      name: 'x',
      architecture: 'vax/generic',
      filetype: 'zip',
      sha256: 'nothex',
      size: '0',
    });
    expect(bad.status).toBe(400);
    const errors = (await bad.json()) as Record<string, string[]>;
    expect(errors.architecture).toEqual([
      'Select a valid choice. vax/generic is not one of the available choices.',
    ]);
    expect(errors.filetype).toEqual([
      'Select a valid choice. zip is not one of the available choices.',
    ]);
    expect(Object.keys(errors).sort()).toEqual(['architecture', 'filetype', 'sha256', 'size']);
    const type = await apiFetch(region.url, 'boot-resources/?type=nope', {
      apiKey: region.userApiKey,
    });
    expect([type.status, await type.text()]).toEqual([
      400,
      "'nope' is not a valid boot resource type. Available types: ['synced', 'uploaded']",
    ]);
    const uploaded = (await (
      await apiFetch(region.url, 'boot-resources/?type=uploaded', { apiKey: region.userApiKey })
    ).json()) as { name: string; type: string }[];
    expect(uploaded.map((u) => [u.name, u.type])).toEqual([
      ['rules', 'Uploaded'],
      ['whole', 'Uploaded'],
    ]);
    const id = (
      (await (
        await create({
          name: 'custom/gone',
          architecture: 'arm64/generic',
          filetype: 'ddraw',
          sha256: 'e'.repeat(64),
          size: '5',
        })
      ).json()) as Created
    ).id;
    expect(
      (
        await apiFetch(region.url, `boot-resources/${id}/`, {
          method: 'DELETE',
          apiKey: region.userApiKey,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await apiFetch(region.url, `boot-resources/${id}/`, {
          method: 'DELETE',
          apiKey: region.adminApiKey,
        })
      ).status,
    ).toBe(204);
    expect(
      (await apiFetch(region.url, `boot-resources/${id}/`, { apiKey: region.adminApiKey })).status,
    ).toBe(404);
    expect(
      await (
        await apiFetch(region.url, 'boot-resources/?op=is_importing', { apiKey: region.userApiKey })
      ).json(),
    ).toBe(false);
  });
});
