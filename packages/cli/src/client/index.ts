export { parseApiKey, formatApiKey, type ApiCredentials } from './credentials.js';
export {
  buildAuthorizationHeader,
  freshStamp,
  oauthPercentEncode,
  type OAuthStamp,
} from './oauth.js';
export { encodeMultipart, type FormField, type EncodedBody } from './multipart.js';
export {
  parseDataArgument,
  resolveArguments,
  readDataFile,
  type DataArgument,
  type ResolvedArgument,
} from './arguments.js';
export { preparePayload, fillUriTemplate, type PreparedRequest } from './payload.js';
export {
  ApiClient,
  clockSkewSeconds,
  isSuccess,
  parseJsonBody,
  type ApiRequest,
  type ApiResponse,
} from './http.js';
export { normaliseApiUrl, handlerUriTemplate } from './api-url.js';
export {
  parseDescribeDocument,
  type DescribeAction,
  type DescribeDocument,
  type DescribeHandler,
  type DescribeResource,
} from './describe.js';
export {
  buildGrammar,
  handlerCommandName,
  actionCommandName,
  parseDocstring,
  documentsParams,
  type GrammarAction,
  type GrammarResource,
  type Docstring,
} from './grammar.js';
export {
  uploadBootResource,
  type UploadHooks,
  type UploadOutcome,
} from './boot-resource-upload.js';
export { digestFile, readChunks, UPLOAD_CHUNK_SIZE, type FileDigest } from './file-digest.js';
export { pickUploadFile, type UploadFileState } from './upload-file-state.js';
