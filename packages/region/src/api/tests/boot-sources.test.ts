import { BootSourceSchema, FormErrorsSchema, NotificationSchema } from '@kiln/protocol';
import { expect, it } from 'vitest';
import { apiFetch, describeRegion, formBody } from '../../testing/index.js';

describeRegion('boot-sources API', (region) => {
  const admin = (path: string, init: RequestInit = {}) =>
    apiFetch(region().url, path, { ...init, apiKey: region().adminApiKey });
  const list = async () =>
    BootSourceSchema.array().parse(await (await admin('boot-sources/')).json());

  it('lists the default source created at first start', async () => {
    const sources = await list();
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({
      id: 1,
      url: 'http://images.maas.io/ephemeral-v3/stable/',
      keyring_filename: '/usr/share/keyrings/ubuntu-cloudimage-keyring.gpg',
      keyring_data: '',
      resource_uri: '/MAAS/api/2.0/boot-sources/1/',
    });
  });

  it('creates a source from a form and renders MAAS fields', async () => {
    const response = await admin('boot-sources/', {
      method: 'POST',
      body: formBody({
        url: 'http://mirror.example/stable/',
        keyring_filename: '/etc/kiln/keyring.gpg',
      }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const source = BootSourceSchema.parse(await response.json());
    expect(source.url).toBe('http://mirror.example/stable/');
    const read = await admin(`boot-sources/${source.id}/`);
    expect(BootSourceSchema.parse(await read.json())).toEqual(source);
  });

  it('takes keyring_data as a multipart file part and shows it base64', async () => {
    const bytes = Buffer.from([0x99, 0x01, 0x0d, 0x04, 0xff, 0x00]);
    const form = new FormData();
    form.append('url', 'http://files.example/stream/');
    form.append('keyring_data', new Blob([bytes]), 'keyring.gpg');
    const response = await admin('boot-sources/', { method: 'POST', body: form });
    expect(response.status).toBe(201);
    const source = BootSourceSchema.parse(await response.json());
    expect(source.keyring_data).toBe(bytes.toString('base64'));
    expect(source.keyring_filename).toBe('');
    await admin(`boot-sources/${source.id}/`, { method: 'DELETE' });
  });

  it('decodes multipart parts sent with Content-Transfer-Encoding: base64', async () => {
    const bytes = Buffer.from('binary keyring \u0000\u0001');
    const boundary = 'kilnboundary';
    const part = (headers: string[], body: string) =>
      `--${boundary}\r\n${headers.join('\r\n')}\r\n\r\n${body}\r\n`;
    const body =
      part(
        ['Content-Disposition: form-data; name="url"', 'Content-Transfer-Encoding: base64'],
        Buffer.from('http://b64.example/').toString('base64'),
      ) +
      part(
        [
          'Content-Disposition: form-data; name="keyring_data"; filename="keyring_data"',
          'Content-Type: application/octet-stream',
          'Content-Transfer-Encoding: base64',
        ],
        bytes.toString('base64'),
      ) +
      `--${boundary}--\r\n`;
    const response = await admin('boot-sources/', {
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
    });
    expect(response.status).toBe(201);
    const source = BootSourceSchema.parse(await response.json());
    expect(source.url).toBe('http://b64.example/');
    expect(Buffer.from(source.keyring_data, 'base64')).toEqual(bytes);
    await admin(`boot-sources/${source.id}/`, { method: 'DELETE' });
  });

  it('rewrites the retired daily stream of images.maas.io to stable', async () => {
    const response = await admin('boot-sources/', {
      method: 'POST',
      body: formBody({
        url: 'https://images.maas.io/ephemeral-v3/daily/',
        keyring_filename: '/k.gpg',
      }),
    });
    const source = BootSourceSchema.parse(await response.json());
    expect(source.url).toBe('https://images.maas.io/ephemeral-v3/stable/');
    await admin(`boot-sources/${source.id}/`, { method: 'DELETE' });
  });

  it.each([
    [{ keyring_filename: '/k.gpg' }, { url: ['This field is required.'] }],
    [{ url: 'not a url', keyring_filename: '/k.gpg' }, { url: ['Enter a valid URL.'] }],
    [
      { url: 'http://mirror.example/stable/', keyring_filename: '/k.gpg' },
      { url: ['Boot source with this Url already exists.'] },
    ],
    [
      { url: 'http://new.example/' },
      { __all__: ['One of keyring_data or keyring_filename must be specified.'] },
    ],
    [
      {
        url: 'http://new.example/',
        keyring_filename: '/k.gpg',
        keyring_data: Buffer.from('x').toString('base64'),
      },
      { __all__: ['Only one of keyring_filename or keyring_data can be specified.'] },
    ],
    [
      { url: 'http://new.example/', keyring_data: '%%%' },
      { keyring_data: ['Upload a file, or send the data base64-encoded.'] },
    ],
  ])('rejects %j with 400 naming the field and changes nothing', async (params, errors) => {
    const before = await list();
    const response = await admin('boot-sources/', { method: 'POST', body: formBody(params) });
    expect(response.status).toBe(400);
    expect(FormErrorsSchema.parse(await response.json())).toEqual(errors);
    expect(await list()).toEqual(before);
  });

  it('updates with PUT (form and multipart) and validates the merged result', async () => {
    const created = BootSourceSchema.parse(
      await (
        await admin('boot-sources/', {
          method: 'POST',
          body: formBody({ url: 'http://upd.example/', keyring_filename: '/a.gpg' }),
        })
      ).json(),
    );
    const put = await admin(`boot-sources/${created.id}/`, {
      method: 'PUT',
      body: formBody({ url: 'http://upd2.example/' }),
    });
    expect(put.status).toBe(200);
    expect(BootSourceSchema.parse(await put.json())).toMatchObject({
      url: 'http://upd2.example/',
      keyring_filename: '/a.gpg',
    });
    const both = new FormData();
    both.append('keyring_data', new Blob([Buffer.from('k')]), 'k.gpg');
    const rejected = await admin(`boot-sources/${created.id}/`, { method: 'PUT', body: both });
    expect(rejected.status).toBe(400);
    expect(await rejected.json()).toEqual({
      __all__: ['Only one of keyring_filename or keyring_data can be specified.'],
    });
    const swap = new FormData();
    swap.append('keyring_filename', '');
    swap.append('keyring_data', new Blob([Buffer.from('k')]), 'k.gpg');
    const swapped = BootSourceSchema.parse(
      await (await admin(`boot-sources/${created.id}/`, { method: 'PUT', body: swap })).json(),
    );
    expect(swapped).toMatchObject({
      keyring_filename: '',
      keyring_data: Buffer.from('k').toString('base64'),
    });
    const clash = await admin(`boot-sources/${created.id}/`, {
      method: 'PUT',
      body: formBody({ url: 'http://mirror.example/stable/' }),
    });
    expect(await clash.json()).toEqual({ url: ['Boot source with this Url already exists.'] });
    expect(
      BootSourceSchema.parse(await (await admin(`boot-sources/${created.id}/`)).json()).url,
    ).toBe('http://upd2.example/');
    expect((await admin(`boot-sources/${created.id}/`, { method: 'DELETE' })).status).toBe(204);
  });

  it('answers 404 with MAAS text for unknown ids', async () => {
    for (const [method, path] of [
      ['GET', 'boot-sources/999/'],
      ['PUT', 'boot-sources/999/'],
      ['DELETE', 'boot-sources/999/'],
      ['GET', 'boot-sources/abc/'],
    ] as const) {
      const response = await admin(path, { method });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('No BootSource matches the given query.');
    }
  });

  it('warns through notifications while more than one source exists', async () => {
    const warnings = async () =>
      NotificationSchema.array()
        .parse(await (await admin('notifications/')).json())
        .filter((n) => n.ident === 'multiple_boot_sources');
    const sources = await list();
    expect(sources.length).toBeGreaterThan(1);
    expect(await warnings()).toHaveLength(1);
    expect((await warnings())[0]).toMatchObject({
      category: 'warning',
      admins: true,
      dismissable: false,
    });
    for (const source of sources.slice(1))
      await admin(`boot-sources/${source.id}/`, { method: 'DELETE' });
    expect(await list()).toHaveLength(1);
    expect(await warnings()).toHaveLength(0);
  });

  it('deleting a source deletes it (204) and it is gone', async () => {
    const created = BootSourceSchema.parse(
      await (
        await admin('boot-sources/', {
          method: 'POST',
          body: formBody({ url: 'http://gone.example/', keyring_filename: '/a.gpg' }),
        })
      ).json(),
    );
    expect((await admin(`boot-sources/${created.id}/`, { method: 'DELETE' })).status).toBe(204);
    expect((await admin(`boot-sources/${created.id}/`)).status).toBe(404);
  });
});
