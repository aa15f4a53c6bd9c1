import type { Kysely } from 'kysely';
import { AppError, sameSecret } from '@kiln/node-kit';
import type { Database } from '../db/index.js';
import type { UserRow } from '../users/index.js';
import { CSRF_HEADER, SESSION_COOKIE, parseCookies } from './cookies.js';
import { findSession } from './sessions.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export interface SessionRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * The user behind a request's session cookie, or null when there is none (or it expired). Unsafe
 * methods must carry the session's CSRF token in X-CSRFToken, as Django requires: the cookie
 * alone is sent by the browser on any same-site request, so it cannot prove intent.
 */
export async function authenticateSession(
  db: Kysely<Database>,
  request: SessionRequest,
): Promise<UserRow | null> {
  const cookieHeader = request.headers.cookie;
  const sessionId = parseCookies(
    Array.isArray(cookieHeader) ? cookieHeader.join('; ') : cookieHeader,
  ).get(SESSION_COOKIE);
  if (sessionId === undefined || sessionId === '') return null;
  const session = await findSession(db, sessionId);
  if (session === null) return null;
  if (!SAFE_METHODS.has(request.method.toUpperCase())) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
      throw new AppError('AUTH_CSRF_FAILED', 'CSRF Failed: CSRF token missing or incorrect.');
    }
  }
  return session.user;
}
