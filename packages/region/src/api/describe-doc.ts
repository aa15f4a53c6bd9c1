import { createHash } from 'node:crypto';
import { renderParamDocs } from './fields.js';
import { API_PREFIX, actionName, pathParams, type HandlerDeclaration } from './handler-types.js';

export interface ActionDescription {
  method: string;
  name: string;
  op: string | null;
  restful: boolean;
  doc: string;
}

export interface HandlerDescription {
  name: string;
  doc: string;
  params: string[];
  path: string;
  uri?: string;
  actions: ActionDescription[];
}

export interface ResourceDescription {
  name: string;
  anon: HandlerDescription | null;
  auth: HandlerDescription | null;
}

export interface DescribeDocument {
  doc: string;
  hash: string;
  resources: ResourceDescription[];
  handlers: HandlerDescription[];
}

function describeHandler(handler: HandlerDeclaration, origin: string | null): HandlerDescription {
  const path = `${API_PREFIX}${handler.path}`;
  const actions = handler.actions
    .map((action) => {
      const params = renderParamDocs(action.fields ?? []);
      return {
        method: action.method,
        name: actionName(action),
        op: action.op,
        restful: action.op === null,
        doc: params === '' ? action.doc : `${action.doc}\n\n${params}`,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    name: handler.name,
    doc: handler.doc,
    params: pathParams(handler.path),
    path,
    ...(origin === null ? {} : { uri: `${origin}${path}` }),
    actions,
  };
}

function build(
  handlers: readonly HandlerDeclaration[],
  origin: string | null,
): Omit<DescribeDocument, 'hash'> {
  const visible = handlers.filter((h) => h.hidden !== true);
  const resources = visible
    .map((h) => {
      const description = describeHandler(h, origin);
      return {
        name: h.name,
        anon: h.access === 'anon' ? description : null,
        auth: h.access === 'auth' ? description : null,
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const flat = resources
    .flatMap((r) => [r.anon, r.auth])
    .filter((d): d is HandlerDescription => d !== null);
  return { doc: 'MAAS API', resources, handlers: flat };
}

/**
 * sha1 of the describe document without host-specific URIs: it changes only when the API
 * changes, which is what clients compare X-MAAS-API-Hash against.
 */
export function apiHash(handlers: readonly HandlerDeclaration[]): string {
  return createHash('sha1')
    .update(JSON.stringify(build(handlers, null)))
    .digest('hex');
}

export function describeApi(
  handlers: readonly HandlerDeclaration[],
  origin: string,
  hash: string,
): DescribeDocument {
  const doc = build(handlers, origin);
  return { doc: doc.doc, hash, resources: doc.resources, handlers: doc.handlers };
}
