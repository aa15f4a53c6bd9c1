import { expect, it } from 'vitest';
import { apiFetch, describeRegion, formBody } from '../../testing/index.js';

// A name that is already taken is the client's mistake: 400 naming the field, never a 500, on
// either database, whichever handler reached the unique constraint.
describeRegion('unique-constraint violations', (region) => {
  const admin = (path: string, init: RequestInit = {}) =>
    apiFetch(region().url, path, { ...init, apiKey: region().adminApiKey });
  const post = (path: string, fields: Record<string, string>) =>
    admin(path, { method: 'POST', body: formBody(fields) });
  const put = (path: string, fields: Record<string, string>) =>
    admin(path, { method: 'PUT', body: formBody(fields) });

  it('answers a zone renamed to an existing name with 400 naming the field', async () => {
    expect((await post('zones/', { name: 'rack-a' })).status).toBe(200);
    expect((await post('zones/', { name: 'rack-b' })).status).toBe(200);
    const response = await put('zones/rack-b/', { name: 'rack-a' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ name: ['Zone with this Name already exists.'] });
    expect((await admin('zones/rack-b/')).status).toBe(200);
  });

  it('answers a resource pool renamed to an existing name with 400 naming the field', async () => {
    const first = (await (await post('resourcepools/', { name: 'gpu' })).json()) as { id: number };
    const second = (await (await post('resourcepools/', { name: 'cpu' })).json()) as {
      id: number;
    };
    expect(first.id).toBeGreaterThan(0);
    const response = await put(`resourcepool/${second.id}/`, { name: 'gpu' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      name: ['Resource pool with this Name already exists.'],
    });
    const kept = (await (await admin(`resourcepool/${second.id}/`)).json()) as { name: string };
    expect(kept.name).toBe('cpu');
  });
});
