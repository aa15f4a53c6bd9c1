import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BootSourceSchema,
  BootSourceSelectionSchema,
  CreatedTokenSchema,
  UserSchema,
} from '@kiln/protocol';
import { expect, it } from 'vitest';
import { describeRegion } from '../../testing/index.js';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, 'fixtures/python-maas-client.py');

interface Line {
  path: string;
  status: number;
  body: string;
}

// A real Python client (Debian's python3-oauthlib + the email package's MIME encoder) signs and
// encodes requests the way MAAS's own Python clients do.
describeRegion('a Python MAAS-style client (oauthlib PLAINTEXT, base64 multipart)', (region) => {
  it('authenticates, uploads a keyring file part and sends repeated list parts', async () => {
    const { stdout } = await run('/usr/bin/python3', [SCRIPT, region().url, region().adminApiKey], {
      timeout: 30_000,
    });
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    const [whoami, source, selection, token, update] = lines;
    expect(whoami?.status).toBe(200);
    expect(UserSchema.parse(JSON.parse(whoami?.body ?? '')).username).toBe('admin');

    expect(source?.status).toBe(201);
    const created = BootSourceSchema.parse(JSON.parse(source?.body ?? ''));
    expect(created.url).toBe('http://python.example/stable/');
    expect(Buffer.from(created.keyring_data, 'base64')).toEqual(
      Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    );

    expect(selection?.status).toBe(200);
    expect(BootSourceSelectionSchema.parse(JSON.parse(selection?.body ?? ''))).toMatchObject({
      release: 'focal',
      arches: ['amd64', 'arm64'],
    });

    expect(token?.status).toBe(200);
    expect(CreatedTokenSchema.parse(JSON.parse(token?.body ?? '')).name).toBe('résumé key');

    expect(update?.status).toBe(200);
    expect(BootSourceSchema.parse(JSON.parse(update?.body ?? '')).url).toBe(
      'http://images.maas.io/ephemeral-v3/stable/',
    );
  });
});
