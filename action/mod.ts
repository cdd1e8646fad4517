/**
 * The action layer: requests, responses, results, the router, handler
 * composition, the meta actions and the standard action table.
 *
 * @module
 */

export {
  defineAction,
  defineActions,
  type HandlerWrapper,
  mergeHandlers,
  wrapHandlers,
} from "./compose.ts";
export { createLatestEventsHandler, type LatestEventsOptions } from "./latest_events.ts";
export { type MetaInfo, withMetaActions } from "./meta.ts";
export { echoOf, parseActionRequest } from "./parse_request.ts";
export {
  createMessageValidator,
  type MessageValidator,
  type SegmentSupport,
} from "./segment_validate.ts";
export { failed, isActionResult, isFailure, ok } from "./result.ts";
export {
  isExecutionErrorRetcode,
  isFailureRetcode,
  isHandlerErrorRetcode,
  isOtherErrorRetcode,
  isRequestErrorRetcode,
  RETCODE,
  type Retcode,
  RETCODE_MESSAGE,
} from "./retcode.ts";
export {
  type ActionRouterOptions,
  createActionRouter,
  META_ACTIONS,
  type ParamsValidator,
  toResponse,
} from "./router.ts";
export type {
  ChannelInfo,
  ChannelSendMessageParams,
  ExtendedSendMessageParams,
  FileTransferType,
  GetFileData,
  GetFileFragmentedData,
  GetFileFragmentedParams,
  GroupInfo,
  GroupSendMessageParams,
  GuildInfo,
  MemberInfo,
  PrivateSendMessageParams,
  SelfInfo,
  SendMessageParams,
  StandardActions,
  UploadFileFragmentedParams,
  UploadFileParams,
  UserInfo,
} from "./standard.ts";
export type {
  ActionContext,
  ActionHandler,
  ActionHandlers,
  ActionMap,
  ActionRequest,
  ActionResponse,
  ActionResult,
  ActionRouter,
  ActionSpec,
  AnyActionHandlers,
  ConnectionKind,
  DefinedAction,
  Failure,
  Ok,
  RequestContext,
  WithActions,
} from "./types.ts";
export {
  createValidators,
  schemaValidator,
  STANDARD_VALIDATORS,
  type StandardSchemaV1,
  type StandardSchemaV1Issue,
  type StandardSchemaV1Result,
  type StandardValidators,
  type ValidatorsOptions,
} from "./validate.ts";
