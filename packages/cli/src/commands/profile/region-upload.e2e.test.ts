import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiFetch, describeRegion, formBody } from '@kiln/region/testing';
import { runCli } from '../../program.js';
import { ApiClient, encodeMultipart, parseApiKey, pickUploadFile } from '../../client/index.js';
import { captureIo } from '../../client/test-support/capture-io.js';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

const MiB = 1 << 20;

interface ResourceJson {
  id: number;
  name: string;
  sets: Record<
    string,
    { complete: boolean; files: Record<string, { sha256: string; size: number }> }
  >;
}

// `boot-resources create ... content@=FILE` against the real region: the chunked protocol,
// resume from the region's `received` count, and sha256 de-duplication.
describeRegion('kiln boot-resources upload against a real region', (region) => {
  let dir: string;
  let env: Record<string, string>;

  async function kiln(args: string[]): Promise<Run> {
    const captured = captureIo(env);
    const code = await runCli(['node', 'kiln', ...args], captured.io);
    return { code, out: captured.stdout(), err: captured.stderr() };
  }

  async function imageFile(name: string, size: number): Promise<{ path: string; content: Buffer }> {
    const content = randomBytes(size);
    const path = join(dir, name);
    await writeFile(path, content);
    return { path, content };
  }

  const upload = (name: string, path: string, profile = 'admin'): Promise<Run> =>
    kiln([
      profile,
      'boot-resources',
      'create',
      `name=custom/${name}`,
      'architecture=amd64/generic',
      'filetype=ddraw',
      `content@=${path}`,
    ]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-cli-upload-e2e-'));
    env = { KILN_PROFILES_FILE: join(dir, 'profiles.json') };
    // The tests must not reach images.maas.io: no scheduled import.
    const off = await apiFetch(region().url, 'maas/?op=set_config', {
      method: 'POST',
      apiKey: region().adminApiKey,
      body: formBody({ name: 'boot_images_auto_import', value: 'false' }),
    });
    expect(off.status).toBe(200);
    expect((await kiln(['login', 'admin', region().url, region().adminApiKey])).code).toBe(0);
    expect((await kiln(['login', 'user', region().url, region().userApiKey])).code).toBe(0);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uploads in 4 MiB chunks and prints the completed resource', async () => {
    const image = await imageFile('one.img', 9 * MiB + 123);
    const run = await upload('one', image.path);
    expect(run.code).toBe(0);
    expect(run.err).toMatch(/^Uploading: 9\.0 MiB of 9\.0 MiB/);
    const resource = JSON.parse(run.out) as ResourceJson;
    const [set] = Object.values(resource.sets);
    expect(set?.complete).toBe(true);
    expect(Object.values(set?.files ?? {})).toEqual([
      expect.objectContaining({
        sha256: createHash('sha256').update(image.content).digest('hex'),
        size: 9 * MiB + 123,
      }),
    ]);
    const list = JSON.parse((await kiln(['admin', 'boot-resources', 'read'])).out) as {
      name: string;
    }[];
    expect(list.map((entry) => entry.name)).toContain(resource.name);
  });

  it('continues an interrupted upload from the bytes the region already holds', async () => {
    const image = await imageFile('two.img', 10 * MiB);
    const sha256 = createHash('sha256').update(image.content).digest('hex');
    // An earlier run that got as far as one chunk, done with the CLI's own client.
    const client = new ApiClient(parseApiKey(region().adminApiKey));
    const form = encodeMultipart([
      { name: 'name', value: 'custom/two' },
      { name: 'architecture', value: 'amd64/generic' },
      { name: 'filetype', value: 'ddraw' },
      { name: 'size', value: String(image.content.length) },
      { name: 'sha256', value: sha256 },
    ]);
    const apiRoot = `${region().url}api/2.0/`;
    const created = await client.send({
      method: 'POST',
      url: `${apiRoot}boot-resources/`,
      body: form.body,
      headers: { 'Content-Type': form.contentType },
    });
    expect(created.status).toBe(201);
    const file = pickUploadFile(JSON.parse(created.body.toString()));
    const first = await client.send({
      method: 'PUT',
      url: new URL(file?.uploadUri ?? '', apiRoot).toString(),
      body: image.content.subarray(0, 4 * MiB),
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(first.status).toBe(200);

    const run = await upload('two', image.path);
    expect(run.code).toBe(0);
    expect(run.err).toContain('Resuming upload at 4.0 MiB of 10.0 MiB.');
    const resource = JSON.parse(run.out) as ResourceJson;
    expect(Object.values(resource.sets)[0]?.complete).toBe(true);
  });

  it('sends no content the region already has', async () => {
    const image = await imageFile('three.img', 5 * MiB);
    expect((await upload('three', image.path)).code).toBe(0);
    const again = await upload('three', image.path);
    expect(again.code).toBe(0);
    expect(again.err).toContain('already has this content');
  });

  it('a non-admin upload is refused with the 403 on stderr and exit 2', async () => {
    const image = await imageFile('four.img', MiB);
    const run = await upload('four', image.path, 'user');
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^403 Forbidden/);
  });
});
