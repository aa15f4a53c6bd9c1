import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { HandlerDeclaration } from './handler-types.js';

/** What a domain hands its routes: the region's HTTP app and its metrics registry. */
export interface RouteHost {
  readonly app: FastifyInstance;
  readonly metrics: Registry;
}

/**
 * One domain of the region as the composition root sees it. A domain's `index.ts` exports its
 * module (or the function that builds it from the services it is given); the root routes the
 * handlers of every module, lets each add its own routes, starts the modules in order once the
 * region listens and stops them in reverse order before the database closes.
 */
export interface RegionModule {
  readonly name: string;
  /** Resources under /MAAS/api/2.0/ (routing, op dispatch and describe/ all read this list). */
  readonly handlers?: readonly HandlerDeclaration[];
  /** Routes outside the MAAS API (file serving, the metadata server, rack-facing endpoints). */
  routes?(host: RouteHost): void | Promise<void>;
  /** Long-running work; called after the app listens. */
  start?(): Promise<void>;
  /** Shutdown begins: called before the region waits for in-flight requests. */
  beforeClose?(): void | Promise<void>;
  /** Called once in-flight requests have finished, before the database closes. */
  stop?(): Promise<void>;
}
