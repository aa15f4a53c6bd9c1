import type { HandlerDeclaration } from '../api/index.js';
import { fileHandler, filesHandler } from './files-handlers.js';

export type { FilesTable, FileRow } from './tables.js';

/** files/ and files/{filename}/: each user's file store (Juju keeps its state there). */
export const FILE_HANDLERS: readonly HandlerDeclaration[] = [filesHandler, fileHandler];
