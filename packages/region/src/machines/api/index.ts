import type { HandlerDeclaration } from '../../api/index.js';
import { POOL_HANDLERS, ZONE_HANDLERS } from '../tags-zones-pools/named-handlers.js';
import { TAG_HANDLERS } from '../tags-zones-pools/tags-handlers.js';
import { machineHandler } from './machine-handler.js';
import { machinesHandler } from './machines-handler.js';
import type { MachineContext } from '../machine-context.js';

/**
 * gomaasapi 2.0's Controller.Pools() reads `pools/`, a path MAAS never served (it has
 * `resourcepools/`); the same listing answers there, left out of describe/.
 */
const poolsAliasHandler: HandlerDeclaration<MachineContext> = {
  name: 'PoolsAliasHandler',
  doc: 'Resource pools, at the path gomaasapi reads them from.',
  path: 'pools/',
  access: 'auth',
  hidden: true,
  actions: (POOL_HANDLERS[0]?.actions ?? []).filter((a) => a.method === 'GET' && a.op === null),
};

/** The machine resources under /MAAS/api/2.0/ (the machines module binds them to its MachineContext). */
export const MACHINE_HANDLERS: readonly HandlerDeclaration<MachineContext>[] = [
  machinesHandler,
  machineHandler,
  ...TAG_HANDLERS,
  ...ZONE_HANDLERS,
  ...POOL_HANDLERS,
  poolsAliasHandler,
];
