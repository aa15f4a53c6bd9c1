import type { HandlerDeclaration } from './handler-types.js';
import { CORE_HANDLERS } from './handlers/index.js';
import { MACHINE_HANDLERS } from '../machines/api/index.js';
import { RACK_HANDLERS } from '../racks/index.js';
import { IMAGE_HANDLERS } from '../images/api/index.js';

/**
 * Every resource the region serves. A feature adds its handlers by appending its exported list
 * here (e.g. `...MACHINE_HANDLERS`); the same list drives routing, op dispatch and describe/.
 */
export const ALL_HANDLERS: readonly HandlerDeclaration[] = [
  ...CORE_HANDLERS,
  ...MACHINE_HANDLERS,
  ...IMAGE_HANDLERS,
  ...RACK_HANDLERS,
];
