import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../program.js';
import { ProfileStore } from '../../profiles/index.js';
import { captureIo } from '../../client/test-support/capture-io.js';
import { describeFixture } from '../../client/test-support/describe-fixture.js';
import { oauthFields } from '../../client/test-support/loopback-server.js';
import { startUploadServer, type UploadServer } from '../../client/test-support/upload-server.js';

const MiB = 1 << 20;
let dir: string;
let env: Record<string, string>;
let server: UploadServer;
let image: string;
let content: Buffer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-cli-upload-'));
  server = await startUploadServer();
  env = { KILN_PROFILES_FILE: join(dir, 'profiles.json') };
  const base = `${server.url}/MAAS/api/2.0`;
  await new ProfileStore(env.KILN_PROFILES_FILE!).put({
    name: 'admin',
    url: `${base}/`,
    credentials: 'ck:tk:ts',
    description: describeFixture(base),
  });
  // 10 MiB: two full 4 MiB chunks and a 2 MiB tail.
  content = randomBytes(10 * MiB);
  image = join(dir, 'image.tgz');
  await writeFile(image, content);
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function upload(): Promise<{ code: number; out: string; err: string }> {
  const captured = captureIo(env);
  const code = await runCli(
    [
      'node',
      'kiln',
      'admin',
      'boot-resources',
      'create',
      'name=custom/mine',
      'architecture=amd64/generic',
      `content@=${image}`,
    ],
    captured.io,
  );
  return { code, out: captured.stdout(), err: captured.stderr() };
}

const puts = (): number[] =>
  server.requests
    .filter((request) => request.method === 'PUT')
    .map((request) => request.body.length);

describe('kiln PROFILE boot-resources create content@=FILE', () => {
  it('creates from sha256+size, then PUTs signed 4 MiB chunks', async () => {
    const result = await upload();
    expect(result.code).toBe(0);
    const [create] = server.requests;
    const form = await new Response(create?.body).text();
    expect(form).toContain(createHash('sha256').update(content).digest('hex'));
    expect(form).toContain(String(10 * MiB));
    expect(puts()).toEqual([4 * MiB, 4 * MiB, 2 * MiB]);
    const stored = [...server.files.values()][0];
    expect(stored?.data.equals(content)).toBe(true);
    const nonces = server.requests.map((request) => oauthFields(request).oauth_nonce);
    expect(new Set(nonces).size).toBe(server.requests.length);
    expect(JSON.parse(result.out)).toMatchObject({
      name: 'custom/mine',
      sets: { '20260101': { complete: true } },
    });
    expect(result.err).toContain('Uploading: 10.0 MiB of 10.0 MiB');
  });

  it('sends nothing when the region already has the content', async () => {
    expect((await upload()).code).toBe(0);
    server.requests.length = 0;
    const again = await upload();
    expect(again.code).toBe(0);
    expect(puts()).toEqual([]);
    expect(again.err).toContain('already has this content');
  });

  it('resumes after an interruption from the byte count the region reports', async () => {
    server.control.failPutNumber = 2;
    const interrupted = await upload();
    expect(interrupted.code).toBe(2);
    expect(interrupted.err).toContain('500 Internal Server Error\ndisk on fire');
    expect([...server.files.values()][0]?.data.length).toBe(4 * MiB);
    server.requests.length = 0;
    const resumed = await upload();
    expect(resumed.code).toBe(0);
    expect(resumed.err).toContain('Resuming upload at 4.0 MiB of 10.0 MiB.');
    expect(puts()).toEqual([4 * MiB, 2 * MiB]);
    expect([...server.files.values()][0]?.data.equals(content)).toBe(true);
  });

  it('names an unreadable content file without contacting the region', async () => {
    image = join(dir, 'missing.tgz');
    const result = await upload();
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^Error: Cannot read '.*missing\.tgz'/);
    expect(server.requests).toEqual([]);
  });
});
