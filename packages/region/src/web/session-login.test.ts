import { expect, it } from 'vitest';
import { describeRegion } from '../testing/index.js';

describeRegion('web UI session login', (region) => {
  const url = (path: string) => new URL(path, region().url).toString();
  const login = (body: string, type = 'application/x-www-form-urlencoded') =>
    fetch(url('accounts/login/'), { method: 'POST', body, headers: { 'Content-Type': type } });
  const cookiesOf = (response: Response) =>
    Object.fromEntries(
      response.headers.getSetCookie().map((c) => {
        const [pair = ''] = c.split(';');
        const eq = pair.indexOf('=');
        return [pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1))];
      }),
    );

  it('refuses a wrong password and a missing field, naming the problem', async () => {
    const wrong = await login('username=admin&password=nope');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toBe('Invalid username or password.');
    expect(wrong.headers.getSetCookie()).toEqual([]);
    const ghost = await login(
      JSON.stringify({ username: 'ghost', password: 'x' }),
      'application/json',
    );
    expect(ghost.status).toBe(401);
    const missing = await login('username=admin');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ password: ['This field is required.'] });
  });

  it('logs in with a form, uses the API by cookie with CSRF on unsafe methods, logs out', async () => {
    const response = await login('username=user&password=user-password');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ username: 'user', is_superuser: false });
    const setCookies = response.headers.getSetCookie();
    expect(setCookies.find((c) => c.startsWith('sessionid='))).toMatch(/HttpOnly/);
    expect(setCookies.find((c) => c.startsWith('sessionid='))).toMatch(/SameSite=Lax/);
    expect(setCookies.find((c) => c.startsWith('csrftoken='))).not.toMatch(/HttpOnly/);
    const { sessionid = '', csrftoken = '' } = cookiesOf(response);
    const cookie = `sessionid=${sessionid}; csrftoken=${csrftoken}`;

    const whoami = await fetch(url('api/2.0/users/?op=whoami'), { headers: { cookie } });
    expect(whoami.status).toBe(200);
    expect(((await whoami.json()) as { username: string }).username).toBe('user');

    const body = 'name=web-test&description=from the browser';
    const form = { cookie, 'Content-Type': 'application/x-www-form-urlencoded' };
    const noCsrf = await fetch(url('api/2.0/account/?op=create_authorisation_token'), {
      method: 'POST',
      body,
      headers: form,
    });
    expect(noCsrf.status).toBe(403);
    expect(await noCsrf.text()).toBe('CSRF Failed: CSRF token missing or incorrect.');
    const badCsrf = await fetch(url('api/2.0/account/?op=create_authorisation_token'), {
      method: 'POST',
      body,
      headers: { ...form, 'X-CSRFToken': 'x'.repeat(csrftoken.length) },
    });
    expect(badCsrf.status).toBe(403);
    const withCsrf = await fetch(url('api/2.0/account/?op=create_authorisation_token'), {
      method: 'POST',
      body,
      headers: { ...form, 'X-CSRFToken': csrftoken },
    });
    expect(withCsrf.status).toBe(200);

    const logoutNoCsrf = await fetch(url('accounts/logout/'), {
      method: 'POST',
      headers: { cookie },
    });
    expect(logoutNoCsrf.status).toBe(403);
    const logout = await fetch(url('accounts/logout/'), {
      method: 'POST',
      headers: { cookie, 'X-CSRFToken': csrftoken },
    });
    expect(logout.status).toBe(204);
    const after = await fetch(url('api/2.0/users/?op=whoami'), { headers: { cookie } });
    expect(after.status).toBe(401);
  });

  it('a forged session id is anonymous', async () => {
    const response = await fetch(url('api/2.0/users/?op=whoami'), {
      headers: { cookie: 'sessionid=forged' },
    });
    expect(response.status).toBe(401);
  });

  it('redirects / and /MAAS/ to the UI', async () => {
    for (const path of ['/', '/MAAS/']) {
      const response = await fetch(new URL(path, region().url), { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/MAAS/r/');
    }
  });
});
