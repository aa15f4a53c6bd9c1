import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  apiFetch,
  formBody,
  oauthHeader,
  startTestRegion,
  type TestRegion,
} from '@kiln/region/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../client/test-support/capture-io.js';
import { runCli } from '../../program.js';

const MiB = 1 << 20;

// The CLI's chunked upload against a real region: the two sides of the protocol agree,
// including resuming from the `received` count the region reports.
describe('kiln PROFILE boot-resources create content@=FILE against a real region', () => {
  let region: TestRegion;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    region = await startTestRegion({ dialect: 'sqlite' });
    dir = await mkdtemp(join(tmpdir(), 'kiln-cli-e2e-upload-'));
    env = { KILN_PROFILES_FILE: join(dir, 'profiles.json') };
    const login = captureIo(env);
    expect(
      await runCli(
        ['node', 'kiln', 'login', 'admin', `${region.url}api/2.0/`, region.adminApiKey],
        login.io,
      ),
    ).toBe(0);
  });
  afterAll(async () => {
    await region.close();
    await rm(dir, { recursive: true, force: true });
  });

  const create = async (name: string, file: string) => {
    const out = captureIo(env);
    const code = await runCli(
      [
        'node',
        'kiln',
        'admin',
        'boot-resources',
        'create',
        `name=${name}`,
        'architecture=amd64/generic',
        'filetype=ddraw',
        `content@=${file}`,
      ],
      out.io,
    );
    return { code, stdout: out.stdout(), stderr: out.stderr() };
  };

  it('uploads in chunks and resumes an upload the region already holds half of', async () => {
    const content = randomBytes(10 * MiB);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const image = join(dir, 'image.raw');
    await writeFile(image, content);
    // Half an upload made earlier (an interrupted client): create, then one 4 MiB chunk.
    const started = await apiFetch(region.url, 'boot-resources/', {
      method: 'POST',
      apiKey: region.adminApiKey,
      body: formBody({
        name: 'custom/e2e',
        architecture: 'amd64/generic',
        filetype: 'ddraw',
        sha256,
        size: String(content.length),
      }),
    });
    const body = (await started.json()) as {
      sets: Record<string, { files: Record<string, { upload_uri: string }> }>;
    };
    const uri = Object.values(Object.values(body.sets)[0]?.files ?? {})[0]?.upload_uri ?? '';
    const chunk = await fetch(new URL(uri, region.url), {
      method: 'PUT',
      headers: {
        authorization: oauthHeader(region.adminApiKey),
        'content-type': 'application/octet-stream',
      },
      body: content.subarray(0, 4 * MiB),
    });
    expect(chunk.status).toBe(200);

    const result = await create('custom/e2e', image);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Resuming upload at 4.0 MiB');
    const resource = JSON.parse(result.stdout) as {
      sets: Record<
        string,
        { complete: boolean; files: Record<string, { sha256: string; complete: boolean }> }
      >;
    };
    const set = Object.values(resource.sets)[0];
    expect(set?.complete).toBe(true);
    expect(Object.values(set?.files ?? {})[0]).toMatchObject({ sha256, complete: true });
    const stored = await readFile(join(region.config.dataDir, 'image-storage', sha256));
    expect(createHash('sha256').update(stored).digest('hex')).toBe(sha256);

    // The same bytes under another name: the region already has them, nothing is sent.
    const again = await create('custom/e2e-copy', image);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already has this content');
  });
});
