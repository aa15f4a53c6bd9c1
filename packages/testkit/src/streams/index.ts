export {
  serveDirectory,
  type DirectoryServer,
  type Fault,
  type RecordedRequest,
} from './serve-directory.js';
