import { DIALECTS } from '@kiln/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserSchema } from '@kiln/protocol';
import { apiFetch, oauthHeader, startTestRegion, type TestRegion } from '../../testing/index.js';

for (const dialect of DIALECTS) {
  describe(`[${dialect}] OAuth authentication`, () => {
    let t: TestRegion;
    beforeAll(async () => {
      t = await startTestRegion({ dialect });
    });
    afterAll(() => t.close());

    it('answers version/ and describe/ anonymously with the API hash header', async () => {
      const version = await apiFetch(t.url, 'version/');
      expect(version.status).toBe(200);
      expect(((await version.json()) as { capabilities: string[] }).capabilities).toContain(
        'authenticate-api',
      );
      const hash = version.headers.get('x-maas-api-hash');
      expect(hash).toMatch(/^[0-9a-f]{40}$/);
      const describeResponse = await apiFetch(t.url, 'describe/');
      expect(describeResponse.status).toBe(200);
      expect(((await describeResponse.json()) as { hash: string }).hash).toBe(hash);
    });

    it('accepts a valid PLAINTEXT signature (whoami 200)', async () => {
      const response = await apiFetch(t.url, 'users/?op=whoami', { apiKey: t.adminApiKey });
      expect(response.status).toBe(200);
      const user = UserSchema.parse(await response.json());
      expect(user).toMatchObject({
        username: 'admin',
        is_superuser: true,
        resource_uri: '/MAAS/api/2.0/users/admin/',
      });
    });

    it('accepts parameters in any order, unquoted and without realm', async () => {
      const [ck, tk, ts] = t.userApiKey.split(':');
      const header = `OAuth oauth_nonce=n${Date.now()}, oauth_timestamp=${Math.floor(Date.now() / 1000)}, oauth_signature="%26${ts}", oauth_token="${tk}", oauth_signature_method="PLAINTEXT", oauth_consumer_key="${ck}", oauth_version="1.0"`;
      const response = await apiFetch(t.url, 'users/?op=whoami', {
        headers: { Authorization: header },
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { username: string }).username).toBe('user');
    });

    it('rejects a wrong secret with 401', async () => {
      const [ck, tk] = t.adminApiKey.split(':');
      const response = await apiFetch(t.url, 'users/?op=whoami', {
        apiKey: `${ck}:${tk}:${'x'.repeat(32)}`,
      });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('Authorization Error: Invalid signature.');
    });

    it('rejects an unknown key with 401', async () => {
      const response = await apiFetch(t.url, 'users/?op=whoami', {
        apiKey: `${'a'.repeat(18)}:${'b'.repeat(18)}:${'c'.repeat(32)}`,
      });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('Authorization Error: Invalid API key.');
    });

    it('rejects a replayed nonce with 401', async () => {
      const header = oauthHeader(t.adminApiKey, { nonce: `replay-${dialect}` });
      const first = await apiFetch(t.url, 'users/?op=whoami', {
        headers: { Authorization: header },
      });
      expect(first.status).toBe(200);
      const replay = await apiFetch(t.url, 'users/?op=whoami', {
        headers: { Authorization: header },
      });
      expect(replay.status).toBe(401);
      expect(await replay.text()).toMatch(/^Authorization Error: Nonce already used/);
    });

    it('rejects a 10-minute-old timestamp with 401 and a Date header', async () => {
      const response = await apiFetch(t.url, 'users/?op=whoami', {
        apiKey: t.adminApiKey,
        sign: { timestamp: Math.floor(Date.now() / 1000) - 600 },
      });
      expect(response.status).toBe(401);
      expect(await response.text()).toMatch(/^Authorization Error: Expired timestamp/);
      const date = response.headers.get('date');
      expect(date).not.toBeNull();
      expect(Number.isNaN(Date.parse(date ?? ''))).toBe(false);
    });

    it('answers 400 naming the missing OAuth parameters', async () => {
      const response = await apiFetch(t.url, 'users/?op=whoami', {
        headers: { Authorization: 'OAuth oauth_token="x"' },
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/oauth_consumer_key/);
    });

    it('answers 401 to an anonymous request for a restricted resource', async () => {
      const response = await apiFetch(t.url, 'users/?op=whoami');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^OAuth/);
    });

    it('answers 403 to a non-admin on boot-sources/', async () => {
      const response = await apiFetch(t.url, 'boot-sources/', { apiKey: t.userApiKey });
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('User is not allowed access to this API.');
    });

    it('answers 403 to a non-admin on an admin-only method', async () => {
      const response = await apiFetch(t.url, 'maas/?op=set_config', {
        method: 'POST',
        apiKey: t.userApiKey,
        body: new URLSearchParams({ name: 'maas_name', value: 'x' }),
      });
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('This method is reserved for admin users.');
    });
  });
}
