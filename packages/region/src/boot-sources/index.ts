export {
  deleteBootSource,
  getBootSource,
  listBootSources,
  normaliseSourceUrl,
  saveBootSource,
  type BootSourceInput,
  type BootSourceRow,
} from './boot-sources-repository.js';
export {
  deleteSelection,
  getSelection,
  listSelections,
  saveSelection,
  type Selection,
  type SelectionInput,
} from './selections-repository.js';
export {
  acceptAllSelections,
  type SelectionCandidate,
  type SelectionValidator,
} from './selection-validator.js';
export { DEFAULT_RELEASE, ensureDefaultBootSource } from './default-source.js';
export {
  MULTIPLE_SOURCES_IDENT,
  MULTIPLE_SOURCES_MESSAGE,
  syncBootSourceNotifications,
} from './multiple-sources-notification.js';
export {
  BUNDLED_CLOUDIMAGE_KEYRING,
  keyringFileFor,
  SYSTEM_CLOUDIMAGE_KEYRING,
} from './default-keyring.js';
