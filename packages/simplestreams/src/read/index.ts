export { readDocument, type DocumentReadOptions, type StreamDocument } from './read-document.js';
export {
  allItems,
  readStream,
  type ReadStreamOptions,
  type SignaturePolicy,
  type StreamProducts,
  type StreamRead,
} from './read-stream.js';
export {
  downloadStreamFile,
  type DownloadStreamFileOptions,
  type StreamFile,
} from './download-stream-file.js';
