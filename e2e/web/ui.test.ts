import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFetch, formBody, startTestRegion, type TestRegion } from '@kiln/region/testing';
import {
  makeFixtureStream,
  makeOpenpgpTestKey,
  serveDirectory,
  type DirectoryServer,
} from '@kiln/testkit';
import { buildUi, launchChromium, logIn, screenshot } from './browser.js';
import { machineSimulator } from './machine-signals.js';
import { reportRack, silenceRack } from './rack-reports.js';

const WAIT = { timeout: 60_000 };

describe('web UI in Chromium against a running Kiln', () => {
  let dir = '';
  let server: DirectoryServer | undefined;
  let region: TestRegion | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const r = () => {
    if (region === undefined) throw new Error('region not started');
    return region;
  };
  const config = async (name: string) =>
    await (
      await apiFetch(r().url, `maas/?op=get_config&name=${name}`, { apiKey: r().adminApiKey })
    ).json();

  beforeAll(async () => {
    await buildUi();
    dir = await mkdtemp(join(tmpdir(), 'kiln-web-e2e-'));
    const key = await makeOpenpgpTestKey();
    const stream = await makeFixtureStream({
      dir,
      signing: { kind: 'openpgp', key: key.signingKey },
    });
    const keyringPath = join(dir, 'keyring.gpg');
    await writeFile(keyringPath, key.publicKeyring);
    server = await serveDirectory(stream.root);
    // The default source starts at a loopback address that serves nothing: "Connect" must fix it.
    region = await startTestRegion({
      dialect: 'sqlite',
      env: { KILN_BOOT_SOURCE_URL: `${server.url}missing/`, KILN_BOOT_SOURCE_KEYRING: keyringPath },
    });
    await apiFetch(region.url, 'maas/?op=set_config', {
      method: 'POST',
      apiKey: region.adminApiKey,
      body: formBody({ name: 'boot_images_auto_import', value: 'false' }),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  });

  afterAll(async () => {
    await browser?.close();
    await region?.close();
    await server?.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('logs in and shows the user and the Kiln version', async () => {
    await page.goto(new URL('r/', r().url).toString());
    await page.getByRole('heading', { name: 'Log in to Kiln' }).waitFor();
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'Invalid username or password.',
    );
    await screenshot(page, '01-login');
    await logIn(page, r().url, 'admin', 'admin-password');
    await expect(page.getByLabel('Logged in user').textContent()).resolves.toBe('admin (admin)');
    await expect(page.getByLabel('Kiln version').textContent()).resolves.toMatch(
      /^Kiln \d+\.\d+\.\d+/,
    );
  });

  it('connects the source, imports two releases, removes one, toggles hourly sync', async () => {
    const saved = async () =>
      (await (await apiFetch(r().url, 'boot-sources/1/', { apiKey: r().adminApiKey })).json()) as {
        url: string;
        keyring_filename: string;
        keyring_data: string;
      };
    const before = await saved();
    const keyringPath = join(dir, 'keyring.gpg');
    expect(before).toMatchObject({ keyring_filename: keyringPath, keyring_data: '' });
    await page.getByRole('link', { name: 'Images' }).click();
    await page.getByRole('heading', { name: 'Boot source' }).waitFor();
    await page.getByRole('radio', { name: 'Custom' }).check();
    // A mistyped URL: Connect reads it, says the URL cannot be read (not the keyring), saves nothing.
    const typo = `${server?.url ?? ''}typo/`;
    await page.getByLabel('URL').fill(typo);
    await page.getByRole('button', { name: 'Connect' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: `Cannot read boot source ${typo}` })
      .waitFor(WAIT);
    expect(await page.getByRole('alert').textContent()).not.toContain('keyring');
    await screenshot(page, '02-source-typo-not-saved');
    expect(await saved()).toEqual(before);
    await page.getByLabel('URL').fill(server?.url ?? '');
    await page.getByRole('button', { name: 'Show advanced options' }).click();
    // A keyring without the stream's signing key: the region refuses the stream and says why.
    const stranger = await makeOpenpgpTestKey('Kiln Stranger');
    await page
      .getByLabel('Keyring data')
      .fill(Buffer.from(stranger.publicKeyring).toString('base64'));
    await page.getByRole('button', { name: 'Connect' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: `Boot source ${server?.url ?? ''} failed signature verification` })
      .waitFor(WAIT);
    expect(await saved()).toEqual(before);
    // The keyring left untouched: the saved keyring file verifies the typed URL.
    await page.getByLabel('Keyring data').fill('');
    await page.getByRole('button', { name: 'Connect' }).click();
    await page
      .getByText(
        `Read ${server?.url ?? ''}: 2 Ubuntu releases offered (jammy, noble). Nothing is saved yet`,
      )
      .waitFor(WAIT);
    expect(await saved()).toEqual(before);
    await screenshot(page, '02-source-connected-unsaved');
    await page.getByRole('button', { name: 'Save source' }).click();
    await page.getByText(`Saved. Connected to ${server?.url ?? ''}`).waitFor(WAIT);
    // Save keeps the typed URL, and the untouched keyring stays the saved keyring file.
    expect(await saved()).toMatchObject({
      url: server?.url ?? '',
      keyring_filename: keyringPath,
      keyring_data: '',
    });

    // The matrix lists what the fixture stream offers: releases (with titles) × arches.
    const matrix = page.getByRole('table', {
      name: 'Releases and architectures the source offers',
    });
    await expect(matrix.getByRole('rowheader').allTextContents()).resolves.toEqual([
      'noble 24.04 LTS',
      'jammy 22.04 LTS',
    ]);
    await expect(matrix.getByRole('columnheader').allTextContents()).resolves.toEqual([
      'Release',
      'amd64',
      'arm64',
    ]);
    // The default selection (noble/amd64) is checked; nothing else is.
    expect(await matrix.getByLabel('noble amd64').isChecked()).toBe(true);
    for (const cell of ['noble arm64', 'jammy amd64', 'jammy arm64'])
      expect(await matrix.getByLabel(cell).isChecked()).toBe(false);
    expect(await page.getByLabel('Add release').count()).toBe(0);
    await matrix.getByLabel('jammy amd64').check();
    await screenshot(page, '02a-images-matrix');
    await page.getByRole('button', { name: 'Save selection' }).click();
    const status = page.getByRole('table', { name: 'Ubuntu images' });
    const row = (name: string) => status.getByRole('row').filter({ hasText: name });
    await row('ubuntu/jammy').getByText('Synced').waitFor(WAIT);
    await row('ubuntu/noble').getByText('Synced').waitFor(WAIT);
    await screenshot(page, '02-images-synced');

    // The squashfs.manifest is imported with the image: its package list is viewable.
    await row('ubuntu/noble').getByRole('button', { name: 'View manifest' }).click();
    const manifest = page.getByRole('region', { name: 'squashfs.manifest of ubuntu/noble amd64' });
    await manifest.getByText(/bash\s+5\.2\.21-2ubuntu4/).waitFor();
    await screenshot(page, '02b-images-manifest');
    await manifest.getByRole('button', { name: 'Close' }).click();

    await page.getByLabel('jammy amd64').uncheck();
    await page.getByRole('button', { name: 'Save selection' }).click();
    await row('ubuntu/jammy').waitFor({ state: 'detached', ...WAIT });
    await row('ubuntu/noble').getByText('Synced').waitFor();
    const resources = (await (
      await apiFetch(r().url, 'boot-resources/', { apiKey: r().adminApiKey })
    ).json()) as { name: string }[];
    expect(resources.map((x) => x.name)).not.toContain('ubuntu/jammy');

    const toggle = page.getByRole('switch', { name: 'Automatically sync images' });
    expect(await toggle.isChecked()).toBe(false);
    await page.getByText('Automatic image updates are disabled').waitFor();
    await toggle.check();
    await expect.poll(() => config('boot_images_auto_import')).toBe(true);
    await toggle.uncheck();
    await expect.poll(() => config('boot_images_auto_import')).toBe(false);
    await screenshot(page, '03-images-after-removal');
  });

  /** Fills the custom upload form with an 8 MiB + 1 byte ddraw image of one repeated byte. */
  async function fillUploadForm(name: string, title: string, file: string, byte: number) {
    const form = page.getByRole('form', { name: 'Upload custom image' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('File type').selectOption('ddraw');
    await form.getByLabel('Base image').fill('ubuntu/noble');
    const buffer = Buffer.alloc(8 * 1024 * 1024 + 1, byte);
    await form
      .getByLabel('Image file')
      .setInputFiles({ name: file, mimeType: 'application/octet-stream', buffer });
    return form;
  }

  it('uploads a custom image in 4 MiB chunks with progress', async () => {
    await page.getByRole('link', { name: 'Images' }).click();
    // Three chunks: 4 MiB, 4 MiB and one byte.
    const form = await fillUploadForm('custom/web-upload', 'Web upload', 'disk.img', 7);
    await form.getByRole('button', { name: 'Upload' }).click();
    await form.getByText('uploaded', { exact: false }).waitFor(WAIT);
    const custom = page.getByRole('table', { name: 'Custom images' });
    await custom
      .getByRole('row')
      .filter({ hasText: 'Web upload' })
      .getByText('Synced')
      .waitFor(WAIT);
    await screenshot(page, '03b-images-custom-upload');
  });

  it('resumes an interrupted upload from what the region already holds', async () => {
    const form = await fillUploadForm('custom/web-resume', 'Web resume', 'resume.img', 9);
    // The network drops the second chunk.
    const puts: number[] = [];
    await page.route('**/upload/**', async (route) => {
      puts.push(route.request().postDataBuffer()?.length ?? 0);
      if (puts.length === 2) await route.abort('connectionreset');
      else await route.continue();
    });
    await form.getByRole('button', { name: 'Upload' }).click();
    const resume = page.getByRole('button', { name: 'Resume upload' });
    await resume.waitFor(WAIT);
    await resume.click();
    await form.getByText('uploaded', { exact: false }).waitFor(WAIT);
    await page.unroute('**/upload/**');
    // Chunk one was kept by the region: only chunks two (again) and three are sent after resuming.
    expect(puts).toEqual([4 * 1024 * 1024, 4 * 1024 * 1024, 4 * 1024 * 1024, 1]);
    const custom = page.getByRole('table', { name: 'Custom images' });
    await custom
      .getByRole('row')
      .filter({ hasText: 'Web resume' })
      .getByText('Synced')
      .waitFor(WAIT);
  });

  it('takes a machine through commission, allocate, deploy and release', async () => {
    const sim = machineSimulator(r().url);
    const mac = '52:54:00:aa:bb:01';
    await page.getByRole('link', { name: 'Machines' }).click();
    await page.getByLabel('Hostname').fill('web-m1');
    await page.getByLabel('MAC address').fill(mac);
    await page.getByRole('button', { name: 'Save machine' }).click();
    await page.getByRole('link', { name: 'web-m1' }).click();
    const status = page.getByLabel('Status');
    await expect.poll(() => status.textContent()).toBe('New');
    expect(await page.getByRole('button', { name: 'Deploy' }).isDisabled()).toBe(true);
    const systemId = decodeURIComponent(page.url().split('/machine/')[1] ?? '');

    await page.getByRole('button', { name: 'Commission' }).click();
    await expect.poll(() => status.textContent()).toBe('Commissioning');
    await sim.commissioned(systemId, mac);
    await expect.poll(() => status.textContent(), WAIT).toBe('Ready');

    await page.getByRole('button', { name: 'Allocate' }).click();
    await expect.poll(() => status.textContent()).toBe('Allocated');
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    await page.getByLabel('Release').fill('ubuntu/noble');
    await page.getByLabel('User data (cloud-init)').fill('#cloud-config\nruncmd: [echo hi]\n');
    await page.getByRole('button', { name: 'Deploy machine' }).click();
    await expect.poll(() => status.textContent()).toBe('Deploying');
    await sim.installed(systemId);
    await expect.poll(() => status.textContent(), WAIT).toBe('Deployed');
    await page.getByRole('listitem').filter({ hasText: 'cmd-install' }).first().waitFor();
    await screenshot(page, '04-machine-deployed');

    await page.getByRole('button', { name: 'Release', exact: true }).click();
    await page.getByRole('button', { name: 'Release machine' }).click();
    await expect.poll(() => status.textContent(), WAIT).toBe('Ready');
    await page.getByRole('link', { name: '← Machines' }).click();
    await page.getByRole('row').filter({ hasText: 'web-m1' }).getByText('Ready').waitFor();
    await screenshot(page, '05-machines');
  });

  it('shows the controllers and settings pages', async () => {
    // Controllers: a live rack with cache figures, a silent one, and this region with its images.
    const cache = {
      used_bytes: 1_250_000_000,
      capacity_bytes: 4 * 1024 ** 3,
      files: 5,
      hits: 6,
      misses: 2,
      region_fetches: 3,
      served_bytes: 9_000_000_000,
    };
    // rack-a holds every file the region has, so each image is bootable from its cache.
    const files = await r().region.db.selectFrom('boot_resource_files').select('sha256').execute();
    const cached = [...new Set(files.map((f) => f.sha256))];
    const live = {
      systemId: 'webrack1',
      hostname: 'rack-a',
      address: '10.20.0.2',
      cache: { ...cache, cached },
    };
    await reportRack(r(), 'register', live);
    await reportRack(r(), 'register', {
      ...live,
      systemId: 'webrack2',
      hostname: 'rack-b',
      address: '10.20.1.2',
    });
    await silenceRack(r(), 'webrack2', 10);
    await page.getByRole('link', { name: 'Controllers' }).click();
    const regionRow = page
      .getByRole('table', { name: 'Region controllers' })
      .getByRole('row')
      .filter({ hasText: r().region.context.regionId });
    await regionRow.getByText('Alive', { exact: true }).waitFor(WAIT);
    await expect.poll(() => regionRow.textContent(), WAIT).toMatch(/Synced\s*(\d+)\/\1 files/);
    const racks = page.getByRole('table', { name: 'Rack controllers' });
    const rackA = racks.getByRole('row').filter({ hasText: 'rack-a' });
    await rackA.getByText('75%').waitFor(WAIT);
    await rackA.getByText('Alive', { exact: true }).waitFor();
    const meter = rackA.getByRole('meter', { name: 'rack-a cache use' });
    expect(await meter.getAttribute('value')).toBe(String(cache.used_bytes));
    expect(await rackA.textContent()).toContain('1.3 GB of 4.3 GB');
    const imagesCell = rackA.getByRole('cell').nth(5);
    expect(await imagesCell.textContent()).toMatch(/^(\d+)\/\1/);
    await racks
      .getByRole('row')
      .filter({ hasText: 'rack-b' })
      .getByText('Dead', { exact: true })
      .waitFor();
    await screenshot(page, '06-controllers');
    // A heartbeat with new figures updates the same row in place on the next poll (no remount).
    const rowElement = await rackA.elementHandle();
    await reportRack(r(), 'heartbeat', { ...live, cache: { ...live.cache, hits: 7, files: 6 } });
    await rackA.getByText('78%').waitFor(WAIT);
    expect(await rowElement.evaluate((el: { isConnected: boolean }) => el.isConnected)).toBe(true);
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('maas_name').fill('kiln-lab');
    await page.getByRole('button', { name: 'Save' }).first().click();
    await expect.poll(() => config('maas_name')).toBe('kiln-lab');
    const erase = page.getByRole('switch', { name: 'enable_disk_erasing_on_release' });
    await erase.check();
    await expect.poll(() => config('enable_disk_erasing_on_release')).toBe(true);
    await screenshot(page, '07-settings');
  });

  it('logs out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Kiln' }).waitFor();
  });

  // Needs root to mount a tmpfs: a data directory too small for the import's space margin.
  it.skipIf(process.getuid?.() !== 0)(
    'shows the disk-space banner when the import is refused',
    async () => {
      const small = await mkdtemp(join(tmpdir(), 'kiln-web-tmpfs-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', small]);
      let tight: TestRegion | undefined;
      try {
        tight = await startTestRegion({
          dialect: 'sqlite',
          env: {
            KILN_DATA_DIR: small,
            KILN_BOOT_SOURCE_URL: server?.url ?? '',
            KILN_BOOT_SOURCE_KEYRING: join(dir, 'keyring.gpg'),
          },
        });
        const tab = await (browser as Browser).newPage({ viewport: { width: 1366, height: 768 } });
        await logIn(tab, tight.url, 'admin', 'admin-password');
        await tab.getByRole('link', { name: 'Images' }).click();
        await tab.getByRole('button', { name: 'Save selection' }).click();
        await tab
          .getByRole('alert')
          .filter({ hasText: 'Not enough disk space to import boot images' })
          .waitFor(WAIT);
        await screenshot(tab, '08-images-disk-space');
        await tab.close();
      } finally {
        await tight?.close();
        execFileSync('umount', [small]);
        await rm(small, { recursive: true, force: true });
      }
    },
  );
});
