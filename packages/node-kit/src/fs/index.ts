export { atomicWriteFile, fsyncDirectory, type AtomicWriteOptions } from './atomic-write.js';
export { safeJoin, unsafePathReason } from './safe-join.js';
export { sha256File, type FileDigest } from './sha256-file.js';
