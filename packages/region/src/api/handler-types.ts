import type { Logger } from 'pino';
import type { UserRow } from '../users/index.js';
import type { ApiTokenRow } from '../auth/index.js';
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
  readonly user: UserRow | null;
  readonly token: ApiTokenRow | null;
  /** `http://host:port` as the client addressed us, for absolute URIs. */
  readonly origin: string;
  readonly log: Logger;
}

export type ApiResult =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly text: string }
  | { readonly status: number; readonly bytes: Buffer; readonly contentType: string }
  | { readonly status: 204 };

export interface ActionContext {
  readonly request: ApiRequest;
  readonly input: ValidatedForm;
  readonly region: RegionContext;
}

export interface ActionDeclaration {
  readonly method: HttpMethod;
  /** null for the RESTful CRUD actions (read/create/update/delete). */
  readonly op: string | null;
  /** First line is the summary; `:param` lines are appended from `fields`. */
  readonly doc: string;
  /** `@admin_method`: only administrators may call it (403 otherwise). */
  readonly admin?: boolean;
  readonly fields?: readonly FieldSpec[];
  run(context: ActionContext): Promise<ApiResult>;
}

export interface HandlerDeclaration {
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
  readonly actions: readonly ActionDeclaration[];
}

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
