import { copyFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { BootSourceOfferSchema, type BootSourceOffer } from '@kiln/protocol';
import {
  describeEachDialect,
  makeFixtureStream,
  makeOpenpgpTestKey,
  serveDirectory,
  type DirectoryServer,
} from '@kiln/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiFetch, formBody } from '../../testing/index.js';
import { startImportFixture, type ImportFixture } from './import-fixture.js';

const PATH = 'boot-sources/1/available-images/';

/** A server that accepts connections and never answers: the slow mirror. */
async function stalledServer(): Promise<{
  url: string;
  requests: () => number;
  close: () => Promise<void>;
}> {
  let requests = 0;
  const server: Server = createServer(() => {
    requests += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/`,
    requests: () => requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describeEachDialect('what a boot source offers (available-images, Kiln extension)', (context) => {
  let fx: ImportFixture;
  const servers: DirectoryServer[] = [];
  const admin = () => ({ apiKey: fx.region.adminApiKey });

  /** Adds a boot source with a keyring file, returns its id. */
  const addSource = async (url: string, keyring: string): Promise<number> => {
    const added = await apiFetch(fx.region.url, 'boot-sources/', {
      method: 'POST',
      ...admin(),
      body: formBody({ url, keyring_filename: keyring }),
    });
    expect(added.status).toBe(201);
    return ((await added.json()) as { id: number }).id;
  };
  const fetchOffer = (id: number, timeout?: number) =>
    apiFetch(fx.region.url, `boot-sources/${String(id)}/available-images/?op=fetch`, {
      method: 'POST',
      ...admin(),
      body: formBody(timeout === undefined ? {} : { timeout: String(timeout) }),
    });

  beforeAll(async () => {
    fx = await startImportFixture(context.dialect);
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await fx.close();
  });

  it('reads the signed stream now, lists releases × arches with titles, and caches it', async () => {
    const before = await apiFetch(fx.region.url, PATH, admin());
    expect(before.status).toBe(200);
    const empty = BootSourceOfferSchema.parse(await before.json());
    expect(empty).toMatchObject({ boot_source_id: 1, updated: null, releases: [] });

    const fetched = await fetchOffer(1);
    expect(fetched.status).toBe(200);
    const offer: BootSourceOffer = BootSourceOfferSchema.parse(await fetched.json());
    expect(offer.url).toBe(fx.server.url);
    expect(offer.updated).not.toBeNull();
    expect(offer.releases.map((r) => `${r.os}/${r.release}`)).toEqual([
      'centos/centos70',
      'ubuntu/jammy',
      'ubuntu/noble',
    ]);
    const noble = offer.releases.find((r) => r.release === 'noble');
    expect(noble).toMatchObject({
      os: 'ubuntu',
      release_title: '24.04 LTS',
      release_codename: 'Noble Numbat',
      support_eol: '2029-05-31',
      arches: ['amd64', 'arm64'],
      labels: ['stable'],
    });
    expect(noble?.subarches).toEqual(
      expect.arrayContaining(['generic', 'ga-24.04', 'hwe-24.04', 'ga-24.04-lowlatency']),
    );
    expect(offer.releases.find((r) => r.release === 'centos70')?.arches).toEqual(['amd64']);
    // Bootloaders MAAS accepts; pxelinux for amd64 is ignored, as MAAS ignores it.
    expect(offer.bootloaders).toContainEqual({
      os: 'grub-efi-signed',
      bootloader_type: 'uefi',
      arches: ['amd64'],
    });
    expect(offer.bootloaders).toContainEqual({
      os: 'pxelinux',
      bootloader_type: 'pxe',
      arches: ['i386'],
    });

    // The cache is filled: a plain GET answers the same without reading the stream again.
    const documents = fx.server.requests.length;
    const cached = BootSourceOfferSchema.parse(
      await (await apiFetch(fx.region.url, PATH, admin())).json(),
    );
    expect(cached).toEqual(offer);
    expect(fx.server.requests.length).toBe(documents);
    // And selections are now validated against it (MAAS's message).
    const refused = await apiFetch(fx.region.url, 'boot-sources/1/selections/', {
      method: 'POST',
      ...admin(),
      body: formBody({ os: 'ubuntu', release: 'plucky', arches: 'amd64' }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('has no available images for download');

    // Changing the source (URL or keyring) makes that cache describe the old source: GET shows
    // nothing until the source is read again.
    const changed = await apiFetch(fx.region.url, 'boot-sources/1/', {
      method: 'PUT',
      ...admin(),
      body: formBody({ keyring_filename: fx.keyringPath }),
    });
    expect(changed.status).toBe(200);
    const stale = BootSourceOfferSchema.parse(
      await (await apiFetch(fx.region.url, PATH, admin())).json(),
    );
    expect([stale.updated, stale.releases, stale.bootloaders]).toEqual([null, [], []]);
    const again = BootSourceOfferSchema.parse(await (await fetchOffer(1)).json());
    expect(again.releases).toEqual(offer.releases);
  });

  it('reads an unsaved URL and keyring (Connect) and changes neither the source nor its cache', async () => {
    const stalled = await stalledServer();
    try {
      const id = await addSource(stalled.url, join(fx.dir, 'saved-keyring.gpg'));
      const sourceBefore = await (
        await apiFetch(fx.region.url, `boot-sources/${String(id)}/`, admin())
      ).json();
      const tryCandidate = (fields: Record<string, string>) =>
        apiFetch(fx.region.url, `boot-sources/${String(id)}/available-images/?op=fetch`, {
          method: 'POST',
          ...admin(),
          body: formBody(fields),
        });
      // The typed URL and keyring are read: the fixture stream verifies with the typed keyring.
      const read = await tryCandidate({ url: fx.server.url, keyring_filename: fx.keyringPath });
      expect(read.status).toBe(200);
      const offer = BootSourceOfferSchema.parse(await read.json());
      expect(offer.url).toBe(fx.server.url);
      expect(offer.releases.map((r) => r.release)).toContain('noble');
      // A mistyped URL is an error about that URL, not about the keyring.
      const typo = await tryCandidate({
        url: 'http://127.0.0.1:9/no-such-mirror/',
        keyring_filename: fx.keyringPath,
      });
      expect(typo.status).toBe(502);
      expect(await typo.text()).toMatch(
        /^Cannot read boot source http:\/\/127\.0\.0\.1:9\/no-such-mirror\//,
      );
      const invalid = await tryCandidate({ url: 'not a url' });
      expect(invalid.status).toBe(400);
      expect(await invalid.text()).toContain('Enter a valid URL.');
      // Nothing was saved: the source is as it was, and its cache still empty.
      expect(
        await (await apiFetch(fx.region.url, `boot-sources/${String(id)}/`, admin())).json(),
      ).toEqual(sourceBefore);
      const cached = BootSourceOfferSchema.parse(
        await (
          await apiFetch(fx.region.url, `boot-sources/${String(id)}/available-images/`, admin())
        ).json(),
      );
      expect([cached.updated, cached.releases]).toEqual([null, []]);
      expect(stalled.requests()).toBe(0);
    } finally {
      await stalled.close();
    }
  });

  it('refuses non-admins (403) and unknown sources (404)', async () => {
    const user = await apiFetch(fx.region.url, `${PATH}?op=fetch`, {
      method: 'POST',
      apiKey: fx.region.userApiKey,
    });
    expect(user.status).toBe(403);
    expect(await user.text()).toBe('User is not allowed access to this API.');
    expect((await apiFetch(fx.region.url, PATH, { apiKey: fx.region.userApiKey })).status).toBe(
      403,
    );
    const missing = await fetchOffer(999);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('No BootSource matches the given query.');
    expect(
      (await apiFetch(fx.region.url, 'boot-sources/abc/available-images/', admin())).status,
    ).toBe(404);
  });

  it('answers 502 for a tampered or unsigned stream and caches nothing', async () => {
    // Tampered: one digit of the signed index changed after signing.
    const key = await makeOpenpgpTestKey('Kiln Tamper Test');
    const tampered = await makeFixtureStream({
      dir: join(fx.dir, 'tampered'),
      signing: { kind: 'openpgp', key: key.signingKey },
      alterSignedDocument: 'streams/v1/index.sjson',
    });
    const tamperedKeyring = join(fx.dir, 'tampered-keyring.gpg');
    await writeFile(tamperedKeyring, key.publicKeyring);
    const tamperedServer = await serveDirectory(tampered.root);
    servers.push(tamperedServer);
    const bad = await addSource(tamperedServer.url, tamperedKeyring);
    const refused = await fetchOffer(bad);
    expect(refused.status).toBe(502);
    expect(await refused.text()).toMatch(
      new RegExp(`^Boot source ${tamperedServer.url} failed signature verification: `),
    );

    // Unsigned: plain JSON where the signed index must be.
    const unsigned = await makeFixtureStream({ dir: join(fx.dir, 'unsigned') });
    await copyFile(
      join(unsigned.root, 'streams/v1/index.json'),
      join(unsigned.root, 'streams/v1/index.sjson'),
    );
    const unsignedServer = await serveDirectory(unsigned.root);
    servers.push(unsignedServer);
    const plain = await addSource(unsignedServer.url, fx.keyringPath);
    const noSignature = await fetchOffer(plain);
    expect(noSignature.status).toBe(502);
    expect(await noSignature.text()).toContain('has no OpenPGP signature');

    for (const id of [bad, plain]) {
      const offer = BootSourceOfferSchema.parse(
        await (
          await apiFetch(fx.region.url, `boot-sources/${String(id)}/available-images/`, admin())
        ).json(),
      );
      expect([offer.updated, offer.releases]).toEqual([null, []]);
    }
  });

  it('answers 400 when the source keyring cannot be read', async () => {
    const id = await addSource(`${fx.server.url}other/`, join(fx.dir, 'no-such-keyring.gpg'));
    const refused = await fetchOffer(id);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(
      new RegExp(`^Boot source ${fx.server.url}other/ has no usable keyring: Cannot read keyring `),
    );
  });

  it('gives up on a source that does not answer, with 504 and the time waited', async () => {
    const stalled = await stalledServer();
    try {
      const id = await addSource(stalled.url, fx.keyringPath);
      const slow = await fetchOffer(id, 1);
      expect(slow.status).toBe(504);
      expect(await slow.text()).toBe(`Boot source ${stalled.url} did not answer within 1 s.`);
    } finally {
      await stalled.close();
    }
  });

  it('ends a fetch at once when the region stops, instead of waiting for the timeout', async () => {
    const own = await startImportFixture(context.dialect);
    const stalled = await stalledServer();
    try {
      const added = await apiFetch(own.region.url, 'boot-sources/', {
        method: 'POST',
        apiKey: own.region.adminApiKey,
        body: formBody({ url: stalled.url, keyring_filename: own.keyringPath }),
      });
      const { id } = (await added.json()) as { id: number };
      const pending = apiFetch(
        own.region.url,
        `boot-sources/${String(id)}/available-images/?op=fetch`,
        {
          method: 'POST',
          apiKey: own.region.adminApiKey,
          body: formBody({ timeout: '600' }),
          // Not kept alive: the region's close would otherwise wait for this client's idle socket.
          headers: { connection: 'close' },
        },
      ).then(
        (response) => response.status,
        () => 0,
      );
      await expect.poll(() => stalled.requests(), { timeout: 30_000 }).toBeGreaterThan(0);
      // Without the stop signal this would wait for the 600 s timeout (and the test time out).
      await own.close();
      expect([0, 502]).toContain(await pending);
    } finally {
      await stalled.close();
    }
  });
});
