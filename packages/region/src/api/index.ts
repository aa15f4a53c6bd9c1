export { registerApiRoutes } from './api-routes.js';
export { apiHash, describeApi, type DescribeDocument } from './describe-doc.js';
export {
  validateForm,
  renderParamDocs,
  parseBoolean,
  type FieldSpec,
  type FieldKind,
  type ValidatedForm,
} from './fields.js';
export { Form, isFormFile, type FormFile, type FormValue } from './form.js';
export {
  API_PREFIX,
  actionName,
  bindHandlers,
  pathParams,
  type ActionContext,
  type ActionDeclaration,
  type ApiRequest,
  type ApiResult,
  type Authenticator,
  type HandlerDeclaration,
  type HttpMethod,
} from './handler-types.js';
export { badRequest, deleted, json, notFound, text, validationError } from './responses.js';
export { sendError } from './error-mapper.js';
export type { RegionModule, RouteHost } from './region-module.js';
export { readForm } from './read-body.js';
