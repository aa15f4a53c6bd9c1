import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { describeEachDialect } from '@kiln/testkit';
import { expect, it } from 'vitest';
import { apiFetch, formBody } from '../../testing/index.js';
import { startImportFixture, waitIdle } from './import-fixture.js';

const SQUASHFS = '/noble/amd64/20250718/squashfs';

function rawGet(base: string, path: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describeEachDialect('serving imported files, selection checks, progress and stop', (context) => {
  it('serves complete files with Range and ETag, validates selections and reports metrics', async () => {
    const fx = await startImportFixture(context.dialect);
    try {
      await fx.service.startImport('test');
      await waitIdle(fx.service);
      const { url, adminApiKey } = fx.region;
      const file = fx.stream.files.get(SQUASHFS.slice(1));
      const sha = file?.sha256 ?? '';
      const whole = await fetch(
        new URL(`boot-resources/${sha}/ubuntu/amd64/ga-24.04/noble/stable/squashfs`, url),
      );
      expect(whole.status).toBe(200);
      expect(whole.headers.get('etag')).toBe(`"${sha}"`);
      expect(whole.headers.get('content-length')).toBe(String(file?.size));
      expect((await whole.arrayBuffer()).byteLength).toBe(file?.size);
      const part = await fetch(new URL(`boot-resources/${sha}/`, url), {
        headers: { range: 'bytes=10-19' },
      });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 10-19/${file?.size}`);
      expect((await part.arrayBuffer()).byteLength).toBe(10);
      const past = await fetch(new URL(`boot-resources/${sha}/`, url), {
        headers: { range: `bytes=${file?.size}-` },
      });
      expect(past.status).toBe(416);
      const head = await fetch(new URL(`boot-resources/${sha}/`, url), { method: 'HEAD' });
      expect([head.status, head.headers.get('content-length')]).toEqual([200, String(file?.size)]);
      expect((await fetch(new URL(`boot-resources/${'0'.repeat(64)}/`, url))).status).toBe(404);
      expect((await fetch(new URL(`boot-resources/${sha}.partial`, url))).status).toBe(404);

      const bootloaders = join(fx.service.store.root, 'bootloaders/uefi/amd64');
      await mkdir(bootloaders, { recursive: true });
      await writeFile(join(bootloaders, 'bootx64.efi'), 'shim bytes');
      const efi = await fetch(new URL('boot-resources/bootloaders/uefi/amd64/bootx64.efi', url));
      expect([efi.status, await efi.text()]).toEqual([200, 'shim bytes']);
      expect(await rawGet(url, '/MAAS/boot-resources/bootloaders/%2e%2e/%2e%2e/kiln.db')).toBe(404);
      expect(await rawGet(url, '/MAAS/boot-resources/bootloaders/..%2f..%2fimage-storage')).toBe(
        404,
      );

      const noRelease = await apiFetch(url, 'boot-sources/1/selections/', {
        method: 'POST',
        apiKey: adminApiKey,
        body: formBody({ os: 'ubuntu', release: 'bionic', arches: 'amd64' }),
      });
      expect(noRelease.status).toBe(400);
      expect(await noRelease.text()).toContain(
        'OS ubuntu with release bionic has no available images for download',
      );
      const noArch = await apiFetch(url, 'boot-sources/1/selections/', {
        method: 'POST',
        apiKey: adminApiKey,
        body: formBody({ os: 'ubuntu', release: 'jammy', arches: ['amd64', 'ppc64el'] }),
      });
      expect(noArch.status).toBe(400);
      expect(await noArch.json()).toEqual({
        arches: ["No available images to download for ['ppc64el']"],
      });

      const metrics = await (await fetch(new URL('/metrics', url))).text();
      const verified = /^kiln_region_image_files_verified_total (\d+)/m.exec(metrics)?.[1];
      expect(Number(verified)).toBeGreaterThan(0);
      expect(metrics).toMatch(/^kiln_region_image_bytes_downloaded_total [1-9]/m);
      expect(metrics).toContain(
        'kiln_region_image_import_duration_seconds_count{outcome="done"} 1',
      );
    } finally {
      await fx.close();
    }
  });

  it('stop_import aborts promptly and keeps the partial; progress is visible meanwhile', async () => {
    const fx = await startImportFixture(context.dialect);
    try {
      const { url, adminApiKey } = fx.region;
      fx.server.addFault({ kind: 'cut', path: SQUASHFS, afterBytes: 3000, times: 100 });
      const started = await apiFetch(url, 'boot-resources/?op=import', {
        method: 'POST',
        apiKey: adminApiKey,
      });
      expect([started.status, await started.text()]).toEqual([
        200,
        'Import of boot resources started',
      ]);
      const sha = fx.stream.files.get(SQUASHFS.slice(1))?.sha256 ?? '';
      for (let i = 0; i < 400 && fx.server.requestsFor(SQUASHFS).length < 2; i++)
        await new Promise((r) => setTimeout(r, 25));
      expect(
        await (
          await apiFetch(url, 'boot-resources/?op=is_importing', { apiKey: adminApiKey })
        ).json(),
      ).toBe(true);
      const progress = (await (
        await apiFetch(url, 'image-import-progress/', { apiKey: adminApiKey })
      ).json()) as {
        running: boolean;
        files: Record<string, { done: number; size: number }>;
        totalBytes: number;
      };
      expect(progress.running).toBe(true);
      expect(progress.files[sha]?.done).toBeGreaterThan(0);
      const stop = await apiFetch(url, 'boot-resources/?op=stop_import', {
        method: 'POST',
        apiKey: adminApiKey,
      });
      expect([stop.status, await stop.text()]).toEqual([
        200,
        'Import of boot resources is being stopped',
      ]);
      await waitIdle(fx.service);
      expect(
        await (
          await apiFetch(url, 'boot-resources/?op=is_importing', { apiKey: adminApiKey })
        ).json(),
      ).toBe(false);
      expect(await readdir(fx.service.store.root)).toContain(`${sha}.partial`);
      const events = await fx.region.region.db.selectFrom('events').select('type').execute();
      expect(events.map((e) => e.type)).toContain('Image import stopped');
    } finally {
      await fx.close();
    }
  });
  it('stops serving a bootloader once its boot resource is deleted; other bootloaders stay', async () => {
    const fx = await startImportFixture(context.dialect);
    try {
      await fx.service.startImport('test');
      await waitIdle(fx.service);
      const { url, adminApiKey } = fx.region;
      const loaders = [
        ['uefi/amd64', 'bootx64.efi'],
        ['pxe/i386', 'lpxelinux.0'],
      ] as const;
      for (const [dir, name] of loaders) {
        await mkdir(join(fx.service.store.root, 'bootloaders', dir), { recursive: true });
        await writeFile(join(fx.service.store.root, 'bootloaders', dir, name), `${name} bytes`);
      }
      const served = async (dir: string, name: string) =>
        (await fetch(new URL(`boot-resources/bootloaders/${dir}/${name}`, url))).status;
      expect(await served('uefi/amd64', 'bootx64.efi')).toBe(200);
      const resources = (await (
        await apiFetch(url, 'boot-resources/', { apiKey: adminApiKey })
      ).json()) as { id: number; name: string; architecture: string }[];
      const uefi = resources.find(
        (r) => r.name.endsWith('/uefi') && r.architecture.startsWith('amd64/'),
      );
      expect(uefi, JSON.stringify(resources)).toBeDefined();
      const removed = await apiFetch(url, `boot-resources/${String(uefi?.id)}/`, {
        method: 'DELETE',
        apiKey: adminApiKey,
      });
      expect(removed.status).toBe(204);
      expect(await served('uefi/amd64', 'bootx64.efi')).toBe(404);
      expect(await served('pxe/i386', 'lpxelinux.0')).toBe(200);
      expect(await readdir(join(fx.service.store.root, 'bootloaders'))).toContain('pxe');
    } finally {
      await fx.close();
    }
  });
});
