import type { HandlerDeclaration } from '../../api/handler-types.js';
import { POOL_HANDLERS, ZONE_HANDLERS } from '../tags-zones-pools/named-handlers.js';
import { TAG_HANDLERS } from '../tags-zones-pools/tags-handlers.js';
import { machineHandler } from './machine-handler.js';
import { machinesHandler } from './machines-handler.js';

/**
 * gomaasapi 2.0's Controller.Pools() reads `pools/`, a path MAAS never served (it has
 * `resourcepools/`); the same listing answers there, left out of describe/.
 */
const poolsAliasHandler: HandlerDeclaration = {
  name: 'PoolsAliasHandler',
  doc: 'Resource pools, at the path gomaasapi reads them from.',
  path: 'pools/',
  access: 'auth',
  hidden: true,
  actions: (POOL_HANDLERS[0]?.actions ?? []).filter((a) => a.method === 'GET' && a.op === null),
};

/** Everything issue 6 adds to /MAAS/api/2.0/ (appended to ALL_HANDLERS in api/resources.ts). */
export const MACHINE_HANDLERS: readonly HandlerDeclaration[] = [
  machinesHandler,
  machineHandler,
  ...TAG_HANDLERS,
  ...ZONE_HANDLERS,
  ...POOL_HANDLERS,
  poolsAliasHandler,
];
