import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normaliseApiUrl, handlerUriTemplate } from './api-url.js';
import { parseDataArgument, resolveArguments } from './arguments.js';
import { fillUriTemplate, preparePayload } from './payload.js';
import { decodeForm } from './test-support/decode-form.js';

describe('parseDataArgument', () => {
  it('splits at the first = or @=', () => {
    expect(parseDataArgument('os=ubuntu')).toEqual({ kind: 'value', name: 'os', value: 'ubuntu' });
    expect(parseDataArgument('kernel_opts=a=b c')).toEqual({
      kind: 'value',
      name: 'kernel_opts',
      value: 'a=b c',
    });
    expect(parseDataArgument('content@=/tmp/x=y')).toEqual({
      kind: 'file',
      name: 'content',
      path: '/tmp/x=y',
    });
    expect(parseDataArgument('a@b=c')).toEqual({ kind: 'value', name: 'a@b', value: 'c' });
    expect(parseDataArgument('empty=')).toEqual({ kind: 'value', name: 'empty', value: '' });
  });
  it('rejects anything else with the MAAS message', () => {
    expect(() => parseDataArgument('noequals')).toThrow(
      "'noequals' is not a name=value or name@=filename pair",
    );
  });
});

describe('resolveArguments', () => {
  it('reads files and names the unreadable one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-cli-args-'));
    try {
      await writeFile(join(dir, 'k.gpg'), Buffer.from([1, 2, 3]));
      const [resolved] = await resolveArguments([
        parseDataArgument(`keyring_data@=${join(dir, 'k.gpg')}`),
      ]);
      expect(resolved).toEqual({
        name: 'keyring_data',
        value: Buffer.from([1, 2, 3]),
        isFile: true,
      });
      await expect(
        resolveArguments([parseDataArgument(`x@=${join(dir, 'missing')}`)]),
      ).rejects.toThrow(/Cannot read '.*missing'/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('preparePayload', () => {
  const data = [
    { name: 'arches', value: 'amd64', isFile: false },
    { name: 'arches', value: 'arm 64', isFile: false },
  ];

  it('puts op and params in the query for GET and DELETE', () => {
    for (const method of ['GET', 'DELETE']) {
      const prepared = preparePayload(method, 'http://h/MAAS/api/2.0/users/', 'whoami', data);
      expect(prepared.body).toBeUndefined();
      const url = new URL(prepared.url);
      expect(url.searchParams.get('op')).toBe('whoami');
      expect(url.searchParams.getAll('arches')).toEqual(['amd64', 'arm 64']);
    }
  });

  it('puts only op in the query and params in a multipart body otherwise', async () => {
    const prepared = preparePayload(
      'post',
      'http://h/MAAS/api/2.0/boot-resources/',
      'import',
      data,
    );
    expect(prepared.method).toBe('POST');
    expect(prepared.url).toBe('http://h/MAAS/api/2.0/boot-resources/?op=import');
    const form = await decodeForm(prepared.body, prepared.headers['Content-Type']!);
    expect(form.getAll('arches')).toEqual(['amd64', 'arm 64']);
  });

  it('sends no body when there is nothing to send', () => {
    const prepared = preparePayload('PUT', 'http://h/MAAS/api/2.0/boot-sources/1/', null, []);
    expect(prepared).toEqual({
      method: 'PUT',
      url: 'http://h/MAAS/api/2.0/boot-sources/1/',
      headers: {},
    });
  });
});

describe('URI templates and API URLs', () => {
  it('fills params, escaping characters that would change the path', () => {
    expect(fillUriTemplate('http://h/a/{id}/b/{name}/', { id: '1', name: 'x/../y?' })).toBe(
      'http://h/a/1/b/x%2F..%2Fy%3F/',
    );
    expect(() => fillUriTemplate('http://h/{id}/', {})).toThrow("Missing value for 'id'");
  });

  it.each([
    ['http://r:5240/MAAS', 'http://r:5240/MAAS/api/2.0/'],
    ['http://r:5240/MAAS/', 'http://r:5240/MAAS/api/2.0/'],
    ['http://r:5240/MAAS/api/2.0', 'http://r:5240/MAAS/api/2.0/'],
    ['http://r:5240/MAAS/api/2.0/?x=1', 'http://r:5240/MAAS/api/2.0/'],
    ['https://r/', 'https://r/api/2.0/'],
  ])('normalises %s', (input, expected) => {
    expect(normaliseApiUrl(input)).toBe(expected);
  });

  it('rejects non-HTTP URLs', () => {
    expect(() => normaliseApiUrl('ftp://r/MAAS')).toThrow(/http/);
    expect(() => normaliseApiUrl('not a url')).toThrow(/not a valid URL/);
  });

  it('uses the handler uri, else its path on the profile host', () => {
    expect(handlerUriTemplate('http://r:1/MAAS/api/2.0/', { path: '/MAAS/api/2.0/x/{id}/' })).toBe(
      'http://r:1/MAAS/api/2.0/x/{id}/',
    );
    expect(
      handlerUriTemplate('http://r:1/MAAS/api/2.0/', { path: '/p/', uri: 'http://o/p/' }),
    ).toBe('http://o/p/');
  });
});
