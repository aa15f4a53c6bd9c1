import type { FastifyRequest } from 'fastify';
import type { Selectable } from 'kysely';
import type { Logger } from 'pino';
import type { ApiTokensTable, UsersTable } from '../db/index.js';
import type { RegionContext } from '../region-context.js';
import type { FieldSpec, ValidatedForm } from './fields.js';
import type { Form } from './form.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  readonly method: HttpMethod;
  /** URI template parameters, e.g. { id: '3' } for boot-sources/{id}/. */
  readonly params: Readonly<Record<string, string>>;
  /** Query and body parameters, without `op`. */
  readonly form: Form;
  /** Raw body for application/octet-stream requests (chunked uploads); null otherwise. */
  readonly rawBody: Buffer | null;
  /** The Accept header, for the few ops whose MAAS wire format (BSON) has a JSON extension. */
  readonly accept: string | null;
  readonly user: Selectable<UsersTable> | null;
  readonly token: Selectable<ApiTokensTable> | null;
  /** `http://host:port` as the client addressed us, for absolute URIs. */
  readonly origin: string;
  readonly log: Logger;
}

export type ApiResult =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly text: string }
  | { readonly status: number; readonly bytes: Buffer; readonly contentType: string }
  | { readonly status: 204 };

/** `C`: the context a domain's handlers run with (the region's, plus the domain's services). */
export interface ActionContext<C extends RegionContext = RegionContext> {
  readonly request: ApiRequest;
  readonly input: ValidatedForm;
  readonly region: C;
}

export interface ActionDeclaration<C extends RegionContext = RegionContext> {
  readonly method: HttpMethod;
  /** null for the RESTful CRUD actions (read/create/update/delete). */
  readonly op: string | null;
  /** First line is the summary; `:param` lines are appended from `fields`. */
  readonly doc: string;
  /** `@admin_method`: only administrators may call it (403 otherwise). */
  readonly admin?: boolean;
  readonly fields?: readonly FieldSpec[];
  run(context: ActionContext<C>): Promise<ApiResult>;
}

export interface HandlerDeclaration<C extends RegionContext = RegionContext> {
  /** Class-style name as MAAS has it, e.g. BootSourcesHandler; maascli derives command names from it. */
  readonly name: string;
  readonly doc: string;
  /** Path below /MAAS/api/2.0/, e.g. `boot-sources/{id}/`. */
  readonly path: string;
  /** 'anon': answers without credentials (credentials, when sent, are still checked). */
  readonly access: 'anon' | 'auth';
  /** Whole resource restricted to administrators (MAAS's AdminRestrictedResource). */
  readonly admin?: boolean;
  /** Left out of describe/ (internal endpoints). */
  readonly hidden?: boolean;
  readonly actions: readonly ActionDeclaration<C>[];
}

/** A domain's handlers, each action run with the domain's own context instead of the region's. */
export function bindHandlers<C extends RegionContext>(
  handlers: readonly HandlerDeclaration<C>[],
  context: C,
): HandlerDeclaration[] {
  return handlers.map((handler) => ({
    ...handler,
    actions: handler.actions.map((action) => ({
      ...action,
      run: (actionContext: ActionContext) => action.run({ ...actionContext, region: context }),
    })),
  }));
}

/**
 * Who sent a request, as the region's authentication found them (OAuth header or web session);
 * null when the request carries no credentials. Throws when credentials are sent but wrong.
 */
export type Authenticator = (request: FastifyRequest) => Promise<{
  readonly user: Selectable<UsersTable>;
  readonly token: Selectable<ApiTokensTable> | null;
} | null>;

export const API_PREFIX = '/MAAS/api/2.0/';

/** `{a}` placeholders of a handler path, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
}

/** The name an action has in describe/: its op, or the CRUD verb for its method. */
export function actionName(action: ActionDeclaration): string {
  if (action.op !== null) return action.op;
  const crud: Record<HttpMethod, string> = {
    GET: 'read',
    POST: 'create',
    PUT: 'update',
    DELETE: 'delete',
  };
  return crud[action.method];
}
