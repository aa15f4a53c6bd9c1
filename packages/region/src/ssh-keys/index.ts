import type { HandlerDeclaration } from '../api/index.js';
import { sshKeyHandler, sshKeysHandler } from './ssh-keys-handlers.js';

export type { SshKeysTable, SshKeyRow } from './tables.js';
export { normaliseSshKey, userPublicKeys } from './ssh-keys-handlers.js';

/** account/prefs/sshkeys/ and account/prefs/sshkeys/{id}/. */
export const SSH_KEY_HANDLERS: readonly HandlerDeclaration[] = [sshKeysHandler, sshKeyHandler];
