import type { HandlerDeclaration } from '../../api/index.js';
import { POOL_HANDLERS, ZONE_HANDLERS } from '../tags-zones-pools/named-handlers.js';
import { TAG_HANDLERS } from '../tags-zones-pools/tags-handlers.js';
import { machineHandler } from './machine-handler.js';
import { machinesHandler } from './machines-handler.js';
import type { MachineContext } from '../machine-context.js';

/** The machine resources under /MAAS/api/2.0/ (the machines module binds them to its MachineContext). */
export const MACHINE_HANDLERS: readonly HandlerDeclaration<MachineContext>[] = [
  machinesHandler,
  machineHandler,
  ...TAG_HANDLERS,
  ...ZONE_HANDLERS,
  ...POOL_HANDLERS,
];
