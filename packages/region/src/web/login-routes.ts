import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '@kiln/node-kit';
import { recordEvent } from '../events/index.js';
import type { RegionContext } from '../region-context.js';
import { findUserByUsername, hashPassword, verifyPassword } from '../users/index.js';
import { CSRF_COOKIE, SESSION_COOKIE, parseCookies, serializeCookie } from './cookies.js';
import { authenticateSession } from './session-auth.js';
import { SESSION_MAX_AGE_SECONDS, createSession, deleteSession } from './sessions.js';

interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** Accepts the Django form (urlencoded) and JSON; anything else names what is missing. */
function readCredentials(body: unknown): Credentials {
  let username: unknown;
  let password: unknown;
  if (body instanceof URLSearchParams) {
    username = body.get('username');
    password = body.get('password');
  } else if (typeof body === 'object' && body !== null) {
    ({ username, password } = body as Record<string, unknown>);
  }
  const missing = [
    ...(typeof username === 'string' && username !== '' ? [] : ['username']),
    ...(typeof password === 'string' && password !== '' ? [] : ['password']),
  ];
  if (missing.length > 0) {
    throw new AppError('AUTH_LOGIN_INCOMPLETE', `Missing ${missing.join(' and ')}.`, {
      details: { fields: Object.fromEntries(missing.map((f) => [f, ['This field is required.']])) },
    });
  }
  return { username: username as string, password: password as string };
}

// Checked when the user does not exist, so both failures take the same time.
let dummyHash: Promise<string> | undefined;

async function checkPassword(region: RegionContext, creds: Credentials) {
  const user = await findUserByUsername(region.db, creds.username);
  dummyHash ??= hashPassword('kiln-dummy-password');
  const ok = await verifyPassword(creds.password, user?.password_hash ?? (await dummyHash));
  if (user === undefined || !ok) {
    throw new AppError('AUTH_LOGIN_FAILED', 'Invalid username or password.');
  }
  return user;
}

function isSecure(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/** POST /MAAS/accounts/login/ and /logout/: the browser's way in, beside OAuth for clients. */
export function registerLoginRoutes(app: FastifyInstance, region: RegionContext): void {
  // Errors (a wrong password included) reach the app's error handler.
  app.post('/MAAS/accounts/login/', async (request, reply) => {
    const user = await checkPassword(region, readCredentials(request.body));
    const session = await createSession(region.db, user.id);
    const secure = isSecure(request);
    const maxAge = SESSION_MAX_AGE_SECONDS;
    reply.header('Set-Cookie', [
      serializeCookie(SESSION_COOKIE, session.id, {
        maxAgeSeconds: maxAge,
        httpOnly: true,
        secure,
      }),
      // Readable by the page's script, which echoes it in X-CSRFToken.
      serializeCookie(CSRF_COOKIE, session.csrfToken, {
        maxAgeSeconds: maxAge,
        httpOnly: false,
        secure,
      }),
    ]);
    await recordEvent(region.db, {
      type: 'Logged in',
      level: 'AUDIT',
      description: `User ${user.username} logged in to the web UI`,
      username: user.username,
    });
    return await reply
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ username: user.username, is_superuser: user.is_admin === 1 }));
  });

  app.post('/MAAS/accounts/logout/', async (request, reply) => {
    // Logging out is an unsafe request too: a foreign page must not be able to end a session.
    const user = await authenticateSession(region.db, request);
    const sessionId = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    if (user !== null && sessionId !== undefined) await deleteSession(region.db, sessionId);
    const expired = { maxAgeSeconds: 0, httpOnly: true, secure: isSecure(request) };
    reply.header('Set-Cookie', [
      serializeCookie(SESSION_COOKIE, '', expired),
      serializeCookie(CSRF_COOKIE, '', { ...expired, httpOnly: false }),
    ]);
    return await reply.code(204).send();
  });
}
