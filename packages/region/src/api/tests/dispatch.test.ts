import { expect, it } from 'vitest';
import { apiFetch, describeRegion } from '../../testing/index.js';
import type { DescribeDocument } from '../describe-doc.js';

describeRegion('API dispatch, describe/ and metrics', (region) => {
  const admin = (path: string, init: RequestInit = {}) =>
    apiFetch(region().url, path, { ...init, apiKey: region().adminApiKey });

  it('answers an unknown op with 400 Unrecognised signature', async () => {
    const response = await admin('boot-sources/?op=foo');
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('Unrecognised signature: method=GET op=foo');
    const post = await admin('users/?op=whoami', { method: 'POST' });
    expect(await post.text()).toBe('Unrecognised signature: method=POST op=whoami');
  });

  it('answers a method a resource does not have with 405 and Allow', async () => {
    const response = await admin('version/', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('answers unknown paths with 404 text', async () => {
    const response = await admin('no-such-thing/');
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/^Unknown path/);
  });

  it('sends X-MAAS-API-Hash on every API response, errors included', async () => {
    const ok = await admin('version/');
    const error = await admin('boot-sources/999/');
    expect(error.headers.get('x-maas-api-hash')).toBe(ok.headers.get('x-maas-api-hash'));
  });

  it('describes resources, handlers and actions the way maascli reads them', async () => {
    const response = await fetch(new URL('api/2.0/describe/', region().url));
    const doc = (await response.json()) as DescribeDocument;
    expect(doc.doc).toBe('MAAS API');
    const names = doc.resources.map((r) => r.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining([
        'AccountHandler',
        'BootSourceHandler',
        'BootSourceSelectionsHandler',
        'BootSourcesHandler',
        'EventsHandler',
        'MaasHandler',
        'NotificationsHandler',
        'UsersHandler',
        'VersionHandler',
      ]),
    );
    const version = doc.resources.find((r) => r.name === 'VersionHandler');
    expect(version?.auth).toBeNull();
    expect(version?.anon?.path).toBe('/MAAS/api/2.0/version/');
    const selections = doc.resources.find((r) => r.name === 'BootSourceSelectionsHandler')?.auth;
    expect(selections).toMatchObject({
      params: ['boot_source_id'],
      path: '/MAAS/api/2.0/boot-sources/{boot_source_id}/selections/',
      uri: `${new URL(region().url).origin}/MAAS/api/2.0/boot-sources/{boot_source_id}/selections/`,
    });
    expect(selections?.actions.map((a) => a.name)).toEqual(['create', 'read']);
    const create = selections?.actions.find((a) => a.name === 'create');
    expect(create).toMatchObject({ method: 'POST', op: null, restful: true });
    expect(create?.doc).toContain(':param os: Required.');
    expect(create?.doc).toContain(':type arches: String');
    const account = doc.resources.find((r) => r.name === 'AccountHandler')?.auth;
    expect(account?.actions.map((a) => a.name)).toEqual([
      'create_authorisation_token',
      'delete_authorisation_token',
      'list_authorisation_tokens',
      'update_token_name',
    ]);
    expect(account?.actions.find((a) => a.name === 'list_authorisation_tokens')).toMatchObject({
      method: 'GET',
      restful: false,
    });
    expect(doc.handlers).toHaveLength(doc.resources.length);
    expect(doc.hash).toBe(response.headers.get('x-maas-api-hash'));
  });

  it('exposes Prometheus metrics with request counts', async () => {
    await admin('version/');
    const text = await (await fetch(new URL('/metrics', region().url))).text();
    expect(text).toMatch(
      /kiln_region_http_requests_total\{method="GET",route="\/MAAS\/api\/2\.0\/version\/",status="200"\} \d+/,
    );
    expect(text).toContain('kiln_region_http_request_duration_seconds_bucket');
  });
});
