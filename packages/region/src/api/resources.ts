import type { HandlerDeclaration } from './handler-types.js';
import { CORE_HANDLERS } from './handlers/index.js';
import { MACHINE_HANDLERS } from '../machines/api/index.js';
import { RACK_HANDLERS } from '../racks/index.js';
import { IMAGE_HANDLERS } from '../images/api/index.js';
import { SPACE_HANDLERS } from '../spaces/index.js';
import { STATIC_ROUTE_HANDLERS } from '../static-routes/index.js';
import { DOMAIN_HANDLERS } from '../domains/index.js';
import { DEVICE_HANDLERS } from '../devices/index.js';
import { FILE_HANDLERS } from '../files/index.js';
import { SSH_KEY_HANDLERS } from '../ssh-keys/index.js';

/**
 * Every resource the region serves. A feature adds its handlers by appending its exported list
 * here (e.g. `...MACHINE_HANDLERS`); the same list drives routing, op dispatch and describe/.
 */
export const ALL_HANDLERS: readonly HandlerDeclaration[] = [
  ...CORE_HANDLERS,
  ...MACHINE_HANDLERS,
  ...IMAGE_HANDLERS,
  ...RACK_HANDLERS,
  ...SPACE_HANDLERS,
  ...STATIC_ROUTE_HANDLERS,
  ...DOMAIN_HANDLERS,
  ...DEVICE_HANDLERS,
  ...FILE_HANDLERS,
  ...SSH_KEY_HANDLERS,
];
