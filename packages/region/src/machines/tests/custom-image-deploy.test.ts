import { expect, it } from 'vitest';
import { describeRegion, insertBootResourceFile } from '../../testing/index.js';
import { machineSteps } from './machine-steps.js';
import { insertCompleteImage } from './test-support.js';

const CUSTOM_SHA = 'd'.repeat(64);

describeRegion('deploying a custom image by every name MAAS accepts', (region) => {
  const steps = machineSteps(region, '52:54:00:00:61');
  const { c, admin, user } = steps;

  async function uploadedImage(name: string, sha256: string, filetype: string): Promise<void> {
    const db = region().region.db;
    const { fileId } = await insertBootResourceFile(db, {
      type: 2,
      name,
      architecture: 'amd64/generic',
      version: '20261207',
      label: 'uploaded',
      filename: filetype,
      filetype,
      sha256,
      size: 4096,
    });
    for (const r of await db.selectFrom('regions').select('system_id').execute()) {
      await db
        .insertInto('boot_resource_file_syncs')
        .values({ file_id: fileId, region_id: r.system_id, size: 4096 })
        .execute();
    }
  }

  async function allocated(): Promise<string> {
    const m = await steps.commissioned();
    expect((await c.post(user(), 'machines/?op=allocate', { system_id: m.id })).status).toBe(200);
    return m.id;
  }

  it('deploys custom/<name>, bare <name> and osystem=custom distro_series=<name>', async () => {
    await uploadedImage('MyImg', CUSTOM_SHA, 'root-tgz');
    await insertCompleteImage(region().region.db);
    for (const params of [
      { distro_series: 'custom/MyImg' },
      { distro_series: 'MyImg' },
      { osystem: 'custom', distro_series: 'MyImg' },
    ]) {
      const id = await allocated();
      const deploy = await c.post(user(), `machines/${id}/?op=deploy`, params);
      expect(deploy.status, `${JSON.stringify(params)}: ${await deploy.clone().text()}`).toBe(200);
      expect(await steps.read(id)).toMatchObject({ osystem: 'custom', distro_series: 'MyImg' });
      const install = await c.call(user(), `machines/${id}/?op=get_curtin_config`);
      expect(install.status).toBe(200);
      const config = (await install.json()) as { image: { sha256: string; format: string } };
      expect(config.image).toMatchObject({ sha256: CUSTOM_SHA, format: 'tgz' });
    }
  });

  it('installs a dd image as a disk image, and refuses names that do not fit', async () => {
    await uploadedImage('rawdisk', 'e'.repeat(64), 'root-dd.xz');
    await insertCompleteImage(region().region.db);
    const id = await allocated();
    const refused = async (params: Record<string, string>, message: string) => {
      const response = await c.post(user(), `machines/${id}/?op=deploy`, params);
      expect(response.status, JSON.stringify(params)).toBe(400);
      expect(await response.text()).toContain(message);
    };
    await refused({ osystem: 'custom' }, 'osystem=custom needs distro_series');
    await refused(
      { osystem: 'custom', distro_series: 'ubuntu/rawdisk' },
      'another operating system',
    );
    await refused(
      { distro_series: 'custom/nothere' },
      'No complete image is available for custom/nothere',
    );
    await refused({ distro_series: 'custom/bad name' }, 'not a valid custom image name');
    const deploy = await c.post(user(), `machines/${id}/?op=deploy`, { distro_series: 'rawdisk' });
    expect(deploy.status, await deploy.clone().text()).toBe(200);
    const config = (await (
      await c.call(admin(), `machines/${id}/?op=get_curtin_config`)
    ).json()) as { image: { format: string } };
    expect(config.image.format).toBe('dd-xz');
  });
});
