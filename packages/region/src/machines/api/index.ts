import type { HandlerDeclaration } from '../../api/index.js';
import { POOL_HANDLERS, ZONE_HANDLERS } from '../tags-zones-pools/named-handlers.js';
import { TAG_HANDLERS } from '../tags-zones-pools/tags-handlers.js';
import { machineHandler } from './machine-handler.js';
import { machinesHandler } from './machines-handler.js';

/** Everything issue 6 adds to /MAAS/api/2.0/ (appended to ALL_HANDLERS in api/resources.ts). */
export const MACHINE_HANDLERS: readonly HandlerDeclaration[] = [
  machinesHandler,
  machineHandler,
  ...TAG_HANDLERS,
  ...ZONE_HANDLERS,
  ...POOL_HANDLERS,
];
