import { expect, it } from 'vitest';
import { apiFetch, describeRegion, formBody } from '../../testing/index.js';

// Whatever a client sends, the answer is a 4xx with a MAAS-style text or field message, never a 500.
describeRegion('malformed requests', (region) => {
  const admin = (path: string, init: RequestInit = {}) =>
    apiFetch(region().url, path, { ...init, apiKey: region().adminApiKey });

  it('answers a truncated multipart body with 400 and stores nothing', async () => {
    const response = await admin('boot-sources/', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="url"\r\n\r\nhttp://a.example/',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/multipart/i);
    const sources = (await (await admin('boot-sources/')).json()) as unknown[];
    expect(sources).toHaveLength(1);
  });

  it('answers multipart without a boundary with 400', async () => {
    const response = await admin('boot-sources/', {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data' },
      body: 'abc',
    });
    expect(response.status).toBe(400);
  });

  it.each([
    ['application/xml', '<a/>', 415],
    ['application/json', '{bad', 400],
  ])('answers a %s body (%s) with a text error', async (type, body, status) => {
    const response = await admin('boot-sources/', {
      method: 'POST',
      headers: { 'Content-Type': type },
      body,
    });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('answers an oversized form with 413', async () => {
    const response = await admin('boot-sources/', {
      method: 'POST',
      body: formBody({ url: 'x'.repeat(2_000_000) }),
    });
    expect(response.status).toBe(413);
  });

  it('answers a malformed URL escape with 400 text', async () => {
    const response = await admin('users/%ZZ/');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it.each([
    ['boot-sources/3000000000/', 'No BootSource matches the given query.'],
    ['boot-sources/99999999999999999999/', 'No BootSource matches the given query.'],
    ['boot-sources/0/', 'No BootSource matches the given query.'],
    ['boot-sources/1/selections/3000000000/', 'No BootSourceSelection matches the given query.'],
    ['boot-sources/1.5/selections/', 'No BootSource matches the given query.'],
    ['notifications/3000000000/', 'No Notification matches the given query.'],
  ])('answers an out-of-range id in %s with 404', async (path, message) => {
    const response = await admin(path);
    expect(response.status).toBe(404);
    expect(await response.text()).toBe(message);
  });

  it('refuses numbers that do not fit an integer column, naming the field', async () => {
    const response = await admin('events/?op=query&before=99999999999999999999');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      before: ['Ensure this value is less than or equal to 2147483647.'],
    });
  });
});
