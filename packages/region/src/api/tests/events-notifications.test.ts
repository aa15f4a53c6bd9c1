import { EventQueryResultSchema, NotificationSchema } from '@kiln/protocol';
import { expect, it } from 'vitest';
import { apiFetch, describeRegion, formBody } from '../../testing/index.js';
import { recordEvent } from '../../events/index.js';

describeRegion('events/ and notifications/ API', (region) => {
  const admin = (path: string, init: RequestInit = {}) =>
    apiFetch(region().url, path, { ...init, apiKey: region().adminApiKey });
  const user = (path: string, init: RequestInit = {}) =>
    apiFetch(region().url, path, { ...init, apiKey: region().userApiKey });
  const query = async (params: string) => {
    const response = await user(`events/?op=query${params}`);
    expect(response.status).toBe(200);
    return EventQueryResultSchema.parse(await response.json());
  };

  it('records events from services and filters them', async () => {
    const db = region().region.db;
    await recordEvent(db, {
      type: 'Powering on',
      description: 'by test',
      nodeSystemId: 'abc123',
      nodeHostname: 'node-1',
      level: 'INFO',
    });
    await recordEvent(db, {
      type: 'Failed commissioning',
      nodeSystemId: 'def456',
      nodeHostname: 'node-2',
      level: 'ERROR',
      username: 'user',
    });
    await recordEvent(db, { type: 'Debug detail', nodeSystemId: 'abc123', level: 'DEBUG' });

    const all = await query('');
    expect(all.events[0]).toMatchObject({ type: 'Debug detail', level: 'DEBUG', node: 'abc123' });
    expect(all.events[0]?.created).toMatch(
      /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2}\. \d{4} \d{2}:\d{2}:\d{2}$/,
    );
    // The default boot source created at first start was logged too.
    expect(all.events.some((e) => e.type === 'Boot source created')).toBe(true);

    expect((await query('&id=abc123')).events.map((e) => e.type)).toEqual([
      'Debug detail',
      'Powering on',
    ]);
    expect((await query('&hostname=node-2')).events.map((e) => e.type)).toEqual([
      'Failed commissioning',
    ]);
    expect((await query('&level=ERROR')).events.map((e) => e.type)).toEqual([
      'Failed commissioning',
    ]);
    expect((await query('&owner=user')).count).toBe(1);
    const limited = await query('&limit=1');
    expect(limited.count).toBe(1);
    const older = await query(`&before=${limited.events[0]?.id}`);
    expect(older.events.every((e) => e.id < (limited.events[0]?.id ?? 0))).toBe(true);
    const newer = await query(`&after=${older.events[0]?.id}`);
    expect(newer.events.map((e) => e.id)).toEqual([limited.events[0]?.id]);
  });

  it.each([
    ['&limit=lots', { limit: ['Enter a whole number.'] }],
    ['&limit=0', { limit: ['Ensure this value is greater than or equal to 1.'] }],
    [
      '&level=LOUD',
      { level: ['Select a valid choice. LOUD is not one of the available choices.'] },
    ],
  ])('rejects events query %s with 400 naming the field', async (params, errors) => {
    const response = await user(`events/?op=query${params}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(errors);
  });

  it('creates notifications (admin), shows them to their audience, dismisses and deletes', async () => {
    const created = await admin('notifications/', {
      method: 'POST',
      body: formBody({
        message: 'Maintenance tonight',
        category: 'info',
        users: 'true',
        context: '{"when":"22:00"}',
      }),
    });
    expect(created.status).toBe(200);
    const notification = NotificationSchema.parse(await created.json());
    expect(notification).toMatchObject({
      message: 'Maintenance tonight',
      users: true,
      admins: false,
      context: { when: '22:00' },
    });

    const adminOnly = NotificationSchema.parse(
      await (
        await admin('notifications/', {
          method: 'POST',
          body: formBody({ message: 'Admins only', admins: 'true', category: 'error' }),
        })
      ).json(),
    );
    const userView = NotificationSchema.array().parse(await (await user('notifications/')).json());
    expect(userView.map((n) => n.message)).toEqual(['Maintenance tonight']);
    expect((await user(`notifications/${adminOnly.id}/`)).status).toBe(404);
    expect(
      NotificationSchema.parse(await (await user(`notifications/${notification.id}/`)).json()).id,
    ).toBe(notification.id);

    expect(
      (await user(`notifications/${notification.id}/?op=dismiss`, { method: 'POST' })).status,
    ).toBe(200);
    expect(NotificationSchema.array().parse(await (await user('notifications/')).json())).toEqual(
      [],
    );
    // Dismissal is per user: the admin does not see admins-only notes dismissed.
    expect(
      NotificationSchema.array()
        .parse(await (await admin('notifications/')).json())
        .map((n) => n.id),
    ).toContain(adminOnly.id);

    const updated = await admin(`notifications/${adminOnly.id}/`, {
      method: 'PUT',
      body: formBody({ message: 'Changed', dismissable: 'false' }),
    });
    expect(NotificationSchema.parse(await updated.json())).toMatchObject({
      message: 'Changed',
      dismissable: false,
      admins: true,
    });
    const notDismissable = await admin(`notifications/${adminOnly.id}/?op=dismiss`, {
      method: 'POST',
    });
    expect(notDismissable.status).toBe(400);

    expect((await user(`notifications/${adminOnly.id}/`, { method: 'DELETE' })).status).toBe(403);
    expect((await admin(`notifications/${adminOnly.id}/`, { method: 'DELETE' })).status).toBe(204);
    const gone = await admin(`notifications/${adminOnly.id}/`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toBe('No Notification matches the given query.');
  });

  it('rejects bad notifications with 400 naming the field and creates nothing', async () => {
    const before = NotificationSchema.array().parse(await (await admin('notifications/')).json());
    for (const [params, errors] of [
      [{ category: 'info' }, { message: ['This field is required.'] }],
      [
        { message: 'm', category: 'shout' },
        { category: ['Select a valid choice. shout is not one of the available choices.'] },
      ],
      [{ message: 'm', context: '[1,2]' }, { context: ['Enter a valid JSON object.'] }],
      [
        { message: 'm', user: 'ghost' },
        { user: ['Select a valid choice. That choice is not one of the available choices.'] },
      ],
      [
        { message: 'm', admins: 'often' },
        { admins: ["'often' value must be either True or False."] },
      ],
    ] as const) {
      const response = await admin('notifications/', { method: 'POST', body: formBody(params) });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual(errors);
    }
    expect(
      (await user('notifications/', { method: 'POST', body: formBody({ message: 'x' }) })).status,
    ).toBe(403);
    expect(NotificationSchema.array().parse(await (await admin('notifications/')).json())).toEqual(
      before,
    );
  });
});
