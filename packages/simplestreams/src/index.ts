// Public face of @kiln/simplestreams: read, verify, select, build, sign and mirror simplestreams.
export { resolveMirrorUrl, toUrl, type MirrorLocation } from './url/resolve-mirror-url.js';
export { checkItemPath, urlForPath } from './url/item-path.js';
export { jsonPath, parseIndexDoc, parseProductsDoc } from './documents/parse-document.js';
export type {
  IndexDoc,
  IndexEntry,
  ProductsDoc,
  StreamItem,
  StreamProduct,
  StreamVersion,
} from './documents/schemas.js';
export { rfc2822, serializeDocument, signedPath, unsignedPath } from './documents/serialize.js';
export { flattenProducts, scalarFields, type FlatItem } from './model/flatten.js';
export { expandAliases } from './model/aliases.js';
export { compareVersionNames, latestVersions, sortVersionsNewestFirst } from './model/latest.js';
export { classifyFtype, isBootFile, KNOWN_FTYPES, type FileKind } from './model/ftype.js';
export { itemMatches, parseItemFilter, type ItemFilter } from './model/item-filter.js';
export { mapToBootResources } from './boot/map-boot-resources.js';
export { architectureSubarch, expandSubarches } from './boot/product-rules.js';
export {
  filterBySelections,
  imageKey,
  mergeSources,
  resourcePassesSelection,
  type FilterOptions,
} from './boot/selections.js';
export type { BootResource, BootResourceFile, Selection, StreamWarn } from './boot/types.js';
export {
  loadKeyring,
  loadSigningKey,
  parseKeyring,
  type Keyring,
  type KeyringSource,
} from './verify/keyring.js';
export {
  cleartextPayload,
  isCleartextSigned,
  verifyCleartext,
  type VerifiedText,
  type VerifyOptions,
} from './verify/cleartext.js';
export {
  generateSigningKey,
  signCleartext,
  type GeneratedKey,
  type GenerateKeyOptions,
} from './verify/sign.js';
export * from './read/index.js';
export {
  buildStream,
  type BuildStreamOptions,
  type BuildStreamResult,
} from './build/build-stream.js';
export { loadManifest, parseManifest, type Manifest } from './build/manifest.js';
export { signTree } from './build/sign-tree.js';
export { writeSigningKeyFiles, type KeyFiles } from './build/keygen.js';
export {
  mirrorStream,
  type MirrorOptions,
  type MirrorProgress,
  type MirrorResult,
} from './mirror/mirror-stream.js';
export type { DocumentSigning, WrittenDocument } from './mirror/mirror-documents.js';
export { trimProducts, type TrimOptions, type TrimmedProducts } from './mirror/trim.js';
export {
  DEFAULT_ITEM_FORMAT,
  formatItem,
  queryStream,
  type QueryOptions,
} from './query/query-stream.js';
