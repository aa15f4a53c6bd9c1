import { describe, expect, it } from 'vitest';
import { encodeMultipart } from './multipart.js';
import { decodeForm } from './test-support/decode-form.js';

// Decoding with the platform's own multipart parser proves the encoding is standard.
async function decode(fields: Parameters<typeof encodeMultipart>[0]): Promise<FormData> {
  const encoded = encodeMultipart(fields);
  expect(encoded.contentType).toMatch(/^multipart\/form-data; boundary=kiln-[0-9a-f]{32}$/);
  return decodeForm(encoded.body, encoded.contentType);
}

describe('encodeMultipart', () => {
  it('keeps repeated keys in order (MAAS reads them as a list)', async () => {
    const form = await decode([
      { name: 'os', value: 'ubuntu' },
      { name: 'arches', value: 'amd64' },
      { name: 'arches', value: 'arm64' },
      { name: 'title', value: 'Ünïcode ✓' },
    ]);
    expect(form.get('os')).toBe('ubuntu');
    expect(form.getAll('arches')).toEqual(['amd64', 'arm64']);
    expect(form.get('title')).toBe('Ünïcode ✓');
  });

  it('sends binary file parts byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 13, 10, 45, 45, 0]);
    const form = await decode([{ name: 'keyring_data', value: bytes, filename: 'keyring_data' }]);
    const file = form.get('keyring_data');
    expect(file).toBeInstanceOf(Blob);
    expect(Buffer.from(await (file as Blob).arrayBuffer())).toEqual(bytes);
  });

  it('escapes quotes and line breaks in field names the way WHATWG parsers undo', async () => {
    const fields = [{ name: 'we"ird\nname', value: 'x' }];
    expect(encodeMultipart(fields).body.toString()).toContain('name="we%22ird%0Aname"');
    const form = await decode(fields);
    expect([...form.keys()]).toEqual(['we"ird\nname']);
  });

  it('ends with the closing boundary even with no fields', () => {
    const encoded = encodeMultipart([]);
    const boundary = encoded.contentType.split('boundary=')[1];
    expect(encoded.body.toString()).toBe(`--${boundary}--\r\n`);
  });
});
