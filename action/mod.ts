/**
 * The action layer: results ({@linkcode ok}, {@linkcode failed}), retcodes,
 * the router, handler composition, typed extended actions and the standard
 * action table with its param validators. Use it to route actions without
 * any network, or to build handler records for `createOneBot`.
 *
 * ```ts
 * import { createActionRouter, defineActions, ok } from "@libob/libob/action";
 * import { expect } from "expect";
 *
 * const router = createActionRouter({
 *   handlers: defineActions({
 *     get_self_info: () => ok({ user_id: "bot", user_name: "Bot", user_displayname: "" }),
 *   }),
 *   bots: () => [{ platform: "demo", user_id: "bot" }],
 * });
 * const response = await router({ action: "get_self_info", params: {} }, { connection: "http" });
 * expect(response).toMatchObject({ status: "ok", retcode: 0, data: { user_name: "Bot" } });
 * ```
 *
 * Rule IDs in this documentation (HTTP-14, META-C2…) name the rules of the
 * OneBot 12 standard; `docs/rules.md` in this package lists each with its
 * words and a link to its page at https://12.onebot.dev/.
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

// Types that this entry point's signatures use, re-exported so that its
// documentation stands alone (`deno doc --lint`).
export type {
  BotSelf,
  BotStatus,
  Event,
  EventBuffer,
  EventType,
  ExtensionName,
  Message,
  Segment,
  SegmentType,
  StandardSegmentData,
  StatusData,
  VersionData,
} from "../event/mod.ts";
