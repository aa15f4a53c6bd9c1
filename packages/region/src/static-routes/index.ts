import type { HandlerDeclaration } from '../api/index.js';
import { staticRouteHandler, staticRoutesHandler } from './static-routes-handlers.js';

export type { StaticRoutesTable, StaticRouteRow } from './tables.js';

/** static-routes/ and static-routes/{id}/. */
export const STATIC_ROUTE_HANDLERS: readonly HandlerDeclaration[] = [
  staticRoutesHandler,
  staticRouteHandler,
];
