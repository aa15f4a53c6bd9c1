import { CONFIG_NAMES } from '@kiln/protocol';
import { expect, it } from 'vitest';
import { apiFetch, describeRegion, formBody } from '../../testing/index.js';
import { CONFIG_DEFINITIONS } from '../../maas-config/index.js';

it('declares exactly the settings the protocol lists', () => {
  expect(CONFIG_DEFINITIONS.map((d) => d.name).sort()).toEqual([...CONFIG_NAMES].sort());
});

describeRegion(
  'maas/ get_config and set_config',
  (region) => {
    const get = async (name: string) => {
      const response = await apiFetch(region().url, `maas/?op=get_config&name=${name}`, {
        apiKey: region().userApiKey,
      });
      expect(response.status).toBe(200);
      return await response.json();
    };
    const set = (name: string, value: string, apiKey = region().adminApiKey) =>
      apiFetch(region().url, 'maas/?op=set_config', {
        method: 'POST',
        apiKey,
        body: formBody({ name, value }),
      });

    it('answers defaults, including the configured import interval', async () => {
      expect(await get('boot_images_auto_import')).toBe(true);
      expect(await get('default_distro_series')).toBe('noble');
      expect(await get('commissioning_osystem')).toBe('ubuntu');
      expect(await get('enable_disk_erasing_on_release')).toBe(false);
      expect(await get('node_timeout')).toBe(30);
      expect(await get('kernel_opts')).toBe('');
      expect(await get('boot_images_import_interval_minutes')).toBe(15);
      expect(typeof (await get('maas_name'))).toBe('string');
    });

    it.each([
      ['boot_images_auto_import', 'false', false],
      ['node_timeout', '45', 45],
      ['kernel_opts', 'console=ttyS0 quiet', 'console=ttyS0 quiet'],
      ['default_distro_series', 'jammy', 'jammy'],
      ['maas_name', 'lab', 'lab'],
      ['enable_disk_erasing_on_release', 'true', true],
    ])('sets %s', async (name, value, expected) => {
      const response = await set(name, value);
      expect(response.status).toBe(200);
      expect(await get(name)).toEqual(expected);
    });

    it.each([
      ['node_timeout', 'soon', { value: ['Enter a whole number.'] }],
      ['node_timeout', '0', { value: ['Ensure this value is greater than or equal to 1.'] }],
      [
        'boot_images_auto_import',
        'perhaps',
        { value: ["'perhaps' value must be either True or False."] },
      ],
      ['default_distro_series', 'Bad Series!', { value: ["'Bad Series!' is not a valid value."] }],
      ['no_such_setting', '1', { name: ['"no_such_setting" is not a valid config setting.'] }],
    ])(
      'rejects %s=%s with 400 naming the field and keeps the old value',
      async (name, value, errors) => {
        const before = name === 'no_such_setting' ? undefined : await get(name);
        const response = await set(name, value);
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual(errors);
        if (before !== undefined) expect(await get(name)).toEqual(before);
      },
    );

    it('requires name and admin rights', async () => {
      const missing = await apiFetch(region().url, 'maas/?op=get_config', {
        apiKey: region().userApiKey,
      });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toEqual({ name: ['This field is required.'] });
      const unknown = await apiFetch(region().url, 'maas/?op=get_config&name=bogus', {
        apiKey: region().userApiKey,
      });
      expect(unknown.status).toBe(400);
      expect((await set('maas_name', 'x', region().userApiKey)).status).toBe(403);
    });
  },
  { env: { KILN_IMPORT_INTERVAL_MINUTES: '15' } },
);
