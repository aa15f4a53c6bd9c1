import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  makeFixtureStream,
  makeGpgTestKey,
  serveDirectory,
  type DirectoryServer,
  type FixtureStream,
  type GpgTestKey,
} from '@kiln/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allItems, readStream, resolveMirrorUrl } from '../index.js';

describe('resolveMirrorUrl', () => {
  it.each([
    [
      'http://images.maas.io/ephemeral-v3/stable/',
      'http://images.maas.io/ephemeral-v3/stable/',
      'streams/v1/index.sjson',
      false,
    ],
    [
      'http://images.maas.io/ephemeral-v3/stable',
      'http://images.maas.io/ephemeral-v3/stable/',
      'streams/v1/index.sjson',
      false,
    ],
    ['http://m/x/streams/v1/index.json', 'http://m/x/', 'streams/v1/index.json', true],
    ['https://m/streams/v1/other.sjson', 'https://m/', 'streams/v1/other.sjson', false],
    ['/srv/mirror', 'file:///srv/mirror/', 'streams/v1/index.sjson', false],
    [
      'file:///srv/mirror/streams/v1/index.json',
      'file:///srv/mirror/',
      'streams/v1/index.json',
      true,
    ],
  ])('%s', (input, root, indexPath, unsigned) => {
    expect(resolveMirrorUrl(input)).toEqual({
      root: new URL(root),
      indexPath,
      unsignedByUrl: unsigned,
    });
  });

  it('refuses other schemes', () => {
    expect(() => resolveMirrorUrl('ftp://m/')).toThrow(
      expect.objectContaining({ code: 'STREAM_URL_INVALID' }) as Error,
    );
  });
});

describe('readStream', () => {
  let dir: string;
  let key: GpgTestKey;
  let fixture: FixtureStream;
  let server: DirectoryServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-read-'));
    key = await makeGpgTestKey();
    fixture = await makeFixtureStream({ dir, signing: { kind: 'gpg', key } });
    server = await serveDirectory(fixture.root);
  });
  afterAll(async () => {
    await server.close();
    await key.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and verifies a gpg-signed stream over HTTP', async () => {
    const stream = await readStream(server.url, { keyring: key.keyringPath });
    expect(stream.signed).toBe(true);
    expect(stream.indexPath).toBe('streams/v1/index.sjson');
    expect(stream.products.map((p) => p.document.path).sort()).toEqual([
      'streams/v1/com.ubuntu.maas:stable:1:bootloader-download.sjson',
      'streams/v1/com.ubuntu.maas:stable:centos-bases-download.sjson',
      'streams/v1/com.ubuntu.maas:stable:v3:download.sjson',
    ]);
    expect(
      stream.products.every(
        (p) => p.document.signed && key.fingerprint.endsWith(p.document.keyId ?? '-'),
      ),
    ).toBe(true);
    expect(allItems(stream).length).toBeGreaterThan(50);
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('needs a keyring for a signed stream and reads a .json URL unsigned', async () => {
    await expect(readStream(server.url)).rejects.toMatchObject({ code: 'STREAM_KEYRING_REQUIRED' });
    const stream = await readStream(`${server.url}streams/v1/index.json`);
    expect(stream.signed).toBe(false);
    expect(stream.products).toHaveLength(3);
  });

  it('reads a local directory by path or file URL', async () => {
    const byPath = await readStream(fixture.root, { keyring: key.keyringPath });
    const byUrl = await readStream(pathToFileURL(`${fixture.root}/streams/v1/index.sjson`), {
      keyring: key.keyringPath,
    });
    expect(allItems(byPath)).toEqual(allItems(byUrl));
  });

  it('filters products documents by content id', async () => {
    const stream = await readStream(server.url, {
      keyring: key.keyringPath,
      contentIds: (id) => id.includes('bootloader'),
    });
    expect(stream.products.map((p) => p.contentId)).toEqual([
      'com.ubuntu.maas:stable:1:bootloader-download',
    ]);
  });

  it('refuses the tampered fixture variant, naming the document', async () => {
    const doc = 'streams/v1/com.ubuntu.maas:stable:1:bootloader-download.sjson';
    const tampered = await makeFixtureStream({
      dir: join(dir, 'tampered'),
      signing: { kind: 'gpg', key },
      alterSignedDocument: doc,
    });
    await expect(readStream(tampered.root, { keyring: key.keyringPath })).rejects.toThrow(
      `${doc}: bad signature from key`,
    );
  });
});
