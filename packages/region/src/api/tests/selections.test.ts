import { BootSourceSchema, BootSourceSelectionSchema } from '@kiln/protocol';
import { expect, it } from 'vitest';
import { apiFetch, describeRegion, formBody } from '../../testing/index.js';
import type { SelectionValidator } from '../../boot-sources/index.js';

describeRegion('boot-source selections API', (region) => {
  const admin = (path: string, init: RequestInit = {}) =>
    apiFetch(region().url, path, { ...init, apiKey: region().adminApiKey });
  const list = async (source = 1) =>
    BootSourceSelectionSchema.array().parse(
      await (await admin(`boot-sources/${source}/selections/`)).json(),
    );

  it('lists the default selection: ubuntu noble amd64 * *', async () => {
    expect(await list()).toEqual([
      {
        id: 1,
        boot_source_id: 1,
        os: 'ubuntu',
        release: 'noble',
        arches: ['amd64'],
        subarches: ['*'],
        labels: ['*'],
        resource_uri: '/MAAS/api/2.0/boot-sources/1/selections/1/',
      },
    ]);
  });

  it('creates a selection from repeated keys (200) and reads it back', async () => {
    const response = await admin('boot-sources/1/selections/', {
      method: 'POST',
      body: formBody({
        os: 'ubuntu',
        release: 'jammy',
        arches: ['amd64', 'arm64'],
        subarches: '*',
        labels: '*',
      }),
    });
    expect(response.status).toBe(200);
    const selection = BootSourceSelectionSchema.parse(await response.json());
    expect(selection).toMatchObject({
      os: 'ubuntu',
      release: 'jammy',
      arches: ['amd64', 'arm64'],
      boot_source_id: 1,
    });
    const read = await admin(`boot-sources/1/selections/${selection.id}/`);
    expect(BootSourceSelectionSchema.parse(await read.json())).toEqual(selection);
  });

  it('defaults arches, subarches and labels to *', async () => {
    const response = await admin('boot-sources/1/selections/', {
      method: 'POST',
      body: formBody({ os: 'centos', release: 'centos70' }),
    });
    const selection = BootSourceSelectionSchema.parse(await response.json());
    expect(selection).toMatchObject({ arches: ['*'], subarches: ['*'], labels: ['*'] });
    expect(
      (await admin(`boot-sources/1/selections/${selection.id}/`, { method: 'DELETE' })).status,
    ).toBe(204);
  });

  it.each([
    [{ release: 'focal' }, { os: ['This field is required.'] }],
    [{ os: 'ubuntu' }, { release: ['This field is required.'] }],
    [
      { os: 'ubuntu', release: 'jammy' },
      { __all__: ['Boot source selection with this Boot source, Os and Release already exists.'] },
    ],
    [
      { os: 'ubuntu', release: 'focal', arches: 'amd64;rm' },
      { arches: ["'amd64;rm' is not a valid value."] },
    ],
  ])('rejects %j with 400 naming the field and changes nothing', async (params, errors) => {
    const before = await list();
    const response = await admin('boot-sources/1/selections/', {
      method: 'POST',
      body: formBody(params),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(errors);
    expect(await list()).toEqual(before);
  });

  it('updates with PUT keeping unspecified fields; rejects a clash', async () => {
    const jammy = (await list()).find((s) => s.release === 'jammy');
    expect(jammy).toBeDefined();
    const put = await admin(`boot-sources/1/selections/${jammy?.id}/`, {
      method: 'PUT',
      body: formBody({ arches: 'arm64', labels: ['release'] }),
    });
    expect(put.status).toBe(200);
    expect(BootSourceSelectionSchema.parse(await put.json())).toMatchObject({
      release: 'jammy',
      arches: ['arm64'],
      labels: ['release'],
      subarches: ['*'],
    });
    const clash = await admin(`boot-sources/1/selections/${jammy?.id}/`, {
      method: 'PUT',
      body: formBody({ release: 'noble' }),
    });
    expect(clash.status).toBe(400);
    expect((await list()).find((s) => s.id === jammy?.id)?.release).toBe('jammy');
  });

  it('answers 404 for unknown sources and selections', async () => {
    const cases = [
      ['GET', 'boot-sources/99/selections/', 'No BootSource matches the given query.'],
      ['POST', 'boot-sources/99/selections/', 'No BootSource matches the given query.'],
      ['GET', 'boot-sources/1/selections/99/', 'No BootSourceSelection matches the given query.'],
      [
        'DELETE',
        'boot-sources/1/selections/99/',
        'No BootSourceSelection matches the given query.',
      ],
    ] as const;
    for (const [method, path, message] of cases) {
      const response = await admin(path, {
        method,
        ...(method === 'POST' ? { body: formBody({ os: 'u', release: 'r' }) } : {}),
      });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe(message);
    }
  });

  it('refuses to delete the commissioning release selection, deletes others', async () => {
    const refused = await admin('boot-sources/1/selections/1/', { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/commissioning release/);
    expect((await list()).some((s) => s.id === 1)).toBe(true);
    const jammy = (await list()).find((s) => s.release === 'jammy');
    expect(
      (await admin(`boot-sources/1/selections/${jammy?.id}/`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await list()).map((s) => s.release)).toEqual(['noble']);
  });

  it('selections of a deleted source go with it', async () => {
    const source = BootSourceSchema.parse(
      await (
        await admin('boot-sources/', {
          method: 'POST',
          body: formBody({ url: 'http://sel.example/', keyring_filename: '/k' }),
        })
      ).json(),
    );
    await admin(`boot-sources/${source.id}/selections/`, {
      method: 'POST',
      body: formBody({ os: 'ubuntu', release: 'noble' }),
    });
    expect(await list(source.id)).toHaveLength(1);
    await admin(`boot-sources/${source.id}/`, { method: 'DELETE' });
    expect((await admin(`boot-sources/${source.id}/selections/`)).status).toBe(404);
  });

  it('is admin-only', async () => {
    const response = await apiFetch(region().url, 'boot-sources/1/selections/', {
      apiKey: region().userApiKey,
    });
    expect(response.status).toBe(403);
  });
});

const onlyUbuntu: SelectionValidator = {
  validate: (_source, selection) =>
    Promise.resolve(
      selection.os === 'ubuntu'
        ? {}
        : {
            os: [
              `OS ${selection.os} with release ${selection.release} has no available images for download`,
            ],
          },
    ),
};

describeRegion(
  'boot-source selections with a validator',
  (region) => {
    it('reports the validator problems as form errors and stores nothing', async () => {
      const response = await apiFetch(region().url, 'boot-sources/1/selections/', {
        method: 'POST',
        apiKey: region().adminApiKey,
        body: formBody({ os: 'centos', release: '7' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        os: ['OS centos with release 7 has no available images for download'],
      });
      const all = await apiFetch(region().url, 'boot-sources/1/selections/', {
        apiKey: region().adminApiKey,
      });
      expect(((await all.json()) as unknown[]).length).toBe(1);
    });
  },
  { selectionValidator: onlyUbuntu },
);
