import { CreatedTokenSchema, TokenListEntrySchema, UserSchema } from '@kiln/protocol';
import { expect, it } from 'vitest';
import { apiFetch, describeRegion, formBody } from '../../testing/index.js';

describeRegion('users/ and account/ API', (region) => {
  const as =
    (apiKey: string) =>
    (path: string, init: RequestInit = {}) =>
      apiFetch(region().url, path, { ...init, apiKey });
  const admin = (path: string, init: RequestInit = {}) => as(region().adminApiKey)(path, init);
  const user = (path: string, init: RequestInit = {}) => as(region().userApiKey)(path, init);

  it('whoami answers the caller', async () => {
    const me = UserSchema.parse(await (await user('users/?op=whoami')).json());
    expect(me).toEqual({
      username: 'user',
      email: 'user@example.com',
      is_superuser: false,
      is_local: true,
      resource_uri: '/MAAS/api/2.0/users/user/',
    });
  });

  it('lists and reads users', async () => {
    const users = UserSchema.array().parse(await (await user('users/')).json());
    expect(users.map((u) => u.username)).toEqual(['admin', 'user']);
    expect(UserSchema.parse(await (await user('users/admin/')).json()).is_superuser).toBe(true);
    const missing = await user('users/ghost/');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('No User matches the given query.');
  });

  it('lets admins create users (201) and rejects bad input by field', async () => {
    const created = await admin('users/', {
      method: 'POST',
      body: formBody({
        username: 'carol',
        email: 'carol@example.com',
        password: 'pw',
        is_superuser: '0',
      }),
    });
    expect(created.status).toBe(201);
    expect(UserSchema.parse(await created.json())).toMatchObject({
      username: 'carol',
      is_superuser: false,
    });
    const bad = await admin('users/', {
      method: 'POST',
      body: formBody({ username: 'carol', email: 'bad', password: '', is_superuser: 'maybe' }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      password: ['This field is required.'],
      is_superuser: ["'maybe' value must be either True or False."],
    });
    const dup = await admin('users/', {
      method: 'POST',
      body: formBody({ username: 'carol', email: 'bad', password: 'x', is_superuser: 'false' }),
    });
    expect(await dup.json()).toEqual({
      username: ['A user with that username already exists.'],
      email: ['Enter a valid email address.'],
    });
    const forbidden = await user('users/', {
      method: 'POST',
      body: formBody({
        username: 'dave',
        email: 'd@example.com',
        password: 'x',
        is_superuser: 'true',
      }),
    });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toBe('This method is reserved for admin users.');
    expect(
      UserSchema.array()
        .parse(await (await admin('users/')).json())
        .map((u) => u.username),
    ).toEqual(['admin', 'carol', 'user']);
  });

  it('lets admins delete users but not themselves', async () => {
    expect((await user('users/carol/', { method: 'DELETE' })).status).toBe(403);
    const self = await admin('users/admin/', { method: 'DELETE' });
    expect(self.status).toBe(400);
    expect(await self.text()).toBe('An administrator cannot self-delete.');
    expect((await admin('users/carol/', { method: 'DELETE' })).status).toBe(204);
    expect((await admin('users/carol/')).status).toBe(404);
  });

  it('creates, lists, renames and deletes API tokens; a deleted token stops working', async () => {
    const created = await user('account/?op=create_authorisation_token', {
      method: 'POST',
      body: formBody({ name: 'laptop' }),
    });
    expect(created.status).toBe(200);
    const token = CreatedTokenSchema.parse(await created.json());
    expect(token.consumer_key).toHaveLength(18);
    expect(token.token_key).toHaveLength(18);
    expect(token.token_secret).toHaveLength(32);
    const key = `${token.consumer_key}:${token.token_key}:${token.token_secret}`;
    expect((await as(key)('users/?op=whoami')).status).toBe(200);

    const listed = TokenListEntrySchema.array().parse(
      await (await user('account/?op=list_authorisation_tokens')).json(),
    );
    expect(listed).toContainEqual({ name: 'laptop', token: key });
    expect(listed).toHaveLength(2);

    const renamed = await user('account/?op=update_token_name', {
      method: 'POST',
      body: formBody({ token: key, name: 'desk' }),
    });
    expect(renamed.status).toBe(200);
    const afterRename = TokenListEntrySchema.array().parse(
      await (await user('account/?op=list_authorisation_tokens')).json(),
    );
    expect(afterRename).toContainEqual({ name: 'desk', token: key });

    const missingName = await user('account/?op=update_token_name', {
      method: 'POST',
      body: formBody({ token: key }),
    });
    expect(missingName.status).toBe(400);
    expect(await missingName.json()).toEqual({ name: ['This field is required.'] });

    // Another user's token is not found, and stays valid.
    const foreign = await admin('account/?op=delete_authorisation_token', {
      method: 'POST',
      body: formBody({ token_key: token.token_key }),
    });
    expect(foreign.status).toBe(404);
    expect((await as(key)('users/?op=whoami')).status).toBe(200);

    const deleted = await user('account/?op=delete_authorisation_token', {
      method: 'POST',
      body: formBody({ token_key: token.token_key }),
    });
    expect(deleted.status).toBe(204);
    expect((await as(key)('users/?op=whoami')).status).toBe(401);
    const again = await user('account/?op=delete_authorisation_token', {
      method: 'POST',
      body: formBody({ token_key: token.token_key }),
    });
    expect(again.status).toBe(404);
  });

  it('op can come from the body when absent from the query string', async () => {
    const response = await user('account/', {
      method: 'POST',
      body: formBody({ op: 'create_authorisation_token', name: 'body-op' }),
    });
    expect(response.status).toBe(200);
    expect(CreatedTokenSchema.parse(await response.json()).name).toBe('body-op');
  });
});
