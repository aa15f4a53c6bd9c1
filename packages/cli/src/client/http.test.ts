import { afterEach, describe, expect, it } from 'vitest';
import { parseApiKey } from './credentials.js';
import { ApiClient, clockSkewSeconds } from './http.js';
import {
  oauthFields,
  startLoopbackServer,
  type LoopbackServer,
  type ReceivedRequest,
} from './test-support/loopback-server.js';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const KEY = parseApiKey('ck:tk:secret');

/** A server whose clock is `offsetSeconds` ahead and which refuses timestamps 5+ minutes off. */
async function skewedServer(
  offsetSeconds: number,
  seen: ReceivedRequest[],
): Promise<LoopbackServer> {
  return startLoopbackServer((request, response) => {
    seen.push(request);
    const serverNow = Date.now() + offsetSeconds * 1000;
    const fields = oauthFields(request);
    response.setHeader('Date', new Date(serverNow).toUTCString());
    const fresh = Math.abs(Number(fields.oauth_timestamp) - serverNow / 1000) < 300;
    if (fields.oauth_signature !== '&secret' || !fresh) {
      response.statusCode = 401;
      response.end('Authorization Error: Invalid API key.');
      return;
    }
    response.setHeader('Content-Type', 'application/json');
    response.end('{"username":"admin"}');
  });
}

describe('ApiClient', () => {
  it('re-signs once with the server clock when a 401 shows our clock is off', async () => {
    const seen: ReceivedRequest[] = [];
    server = await skewedServer(3600, seen);
    const client = new ApiClient(KEY);
    const response = await client.send({
      method: 'GET',
      url: `${server.url}/MAAS/api/2.0/users/?op=whoami`,
    });
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(2);
    const [first, second] = seen.map(oauthFields);
    expect(first?.oauth_nonce).not.toBe(second?.oauth_nonce);
    expect(Math.abs(client.clockSkew - 3600)).toBeLessThanOrEqual(2);
    // The correction sticks: the next request succeeds first time.
    await client.send({ method: 'GET', url: `${server.url}/x` });
    expect(seen).toHaveLength(3);
  });

  it('does not retry a rejection that the clock cannot explain', async () => {
    const seen: ReceivedRequest[] = [];
    server = await skewedServer(0, seen);
    const client = new ApiClient(parseApiKey('ck:tk:wrong'));
    const response = await client.send({ method: 'GET', url: `${server.url}/x` });
    expect(response.status).toBe(401);
    expect(response.body.toString()).toBe('Authorization Error: Invalid API key.');
    expect(seen).toHaveLength(1);
  });

  it('sends no Authorization header for anonymous profiles', async () => {
    const seen: ReceivedRequest[] = [];
    server = await startLoopbackServer((request, response) => {
      seen.push(request);
      response.end('ok');
    });
    await new ApiClient(null).send({ method: 'GET', url: `${server.url}/MAAS/api/2.0/version/` });
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });
});

describe('clockSkewSeconds', () => {
  it('reads HTTP dates and ignores garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(clockSkewSeconds('Thu, 01 Jan 2026 01:00:00 GMT', now)).toBe(3600);
    expect(clockSkewSeconds('not a date', now)).toBeNull();
    expect(clockSkewSeconds(null, now)).toBeNull();
  });
});
