import type { HandlerDeclaration } from '../api/index.js';
import { spaceHandler, spacesHandler } from './spaces-handlers.js';

export type { SpacesTable, SpaceRow } from './tables.js';
export { UNDEFINED_SPACE } from './spaces-handlers.js';

/** spaces/ and spaces/{id}/ (with MAAS's built-in "undefined" space). */
export const SPACE_HANDLERS: readonly HandlerDeclaration[] = [spacesHandler, spaceHandler];
