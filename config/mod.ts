/**
 * Configuration files: the conventional OneBot connection sections
 * (`heartbeat`, `http`, `http_webhook`, `websocket`, `websocket_rev`) from
 * JSON or TOML, checked for units and ranges, and serving a OneBot where they
 * say ({@linkcode serveOneBot}).
 *
 * ```ts
 * import { createOneBot } from "@libob/libob";
 * import { parseOneBotConfig } from "@libob/libob/config";
 * import { expect } from "expect";
 *
 * const config = parseOneBotConfig({
 *   heartbeat: { enabled: true, interval: 5000 },
 *   http: [{ host: "127.0.0.1", port: 5700 }],
 * });
 * await using onebot = createOneBot({
 *   impl: "my-impl",
 *   version: "1.0.0",
 *   handlers: {},
 *   ...config.connections,
 * });
 * expect(config.listen).toEqual([{ hostname: "127.0.0.1", port: 5700 }]);
 * // await serveOneBot(onebot, config) listens there, with a graceful shutdown.
 * ```
 *
 * @module
 */

export {
  type ExtraSections,
  type ListenAddress,
  loadOneBotConfig,
  type OneBotConfig,
  type OneBotConfigOptions,
  parseOneBotConfig,
} from "./config.ts";
export {
  type OneBotServer,
  type ServeConfig,
  serveOneBot,
  type ServeOneBotOptions,
} from "./serve.ts";

// Types that this entry point's signatures use, re-exported so that its
// documentation stands alone (`deno doc --lint`).
export type {
  ActionContext,
  ActionHandler,
  ActionHandlers,
  ActionResponse,
  ActionResult,
  ActionRouter,
  ActionSpec,
  ChannelInfo,
  ChannelSendMessageParams,
  ConnectionKind,
  DefinedAction,
  ExtendedSendMessageParams,
  Failure,
  FileTransferType,
  GetFileData,
  GetFileFragmentedData,
  GetFileFragmentedParams,
  GroupInfo,
  GroupSendMessageParams,
  GuildInfo,
  MemberInfo,
  Ok,
  ParamsValidator,
  PrivateSendMessageParams,
  RequestContext,
  SegmentSupport,
  SelfInfo,
  SendMessageParams,
  StandardActions,
  UploadFileFragmentedParams,
  UploadFileParams,
  UserInfo,
} from "../action/mod.ts";
export type { Encoding, EventSink, Frame, FrameTap, RequestHandler } from "../connection/mod.ts";
export type {
  Bot,
  BotEventInit,
  BotEvents,
  BotSelf,
  BotStatus,
  ChannelCreateEvent,
  channelCreateEvent,
  ChannelDeleteEvent,
  channelDeleteEvent,
  ChannelMemberDecreaseEvent,
  channelMemberDecreaseEvent,
  ChannelMemberIncreaseEvent,
  channelMemberIncreaseEvent,
  ChannelMessageDeleteEvent,
  channelMessageDeleteEvent,
  ChannelMessageEvent,
  channelMessageEvent,
  Event,
  EventPipe,
  EventType,
  ExtensionName,
  FriendDecreaseEvent,
  friendDecreaseEvent,
  FriendIncreaseEvent,
  friendIncreaseEvent,
  GroupMemberDecreaseEvent,
  groupMemberDecreaseEvent,
  GroupMemberIncreaseEvent,
  groupMemberIncreaseEvent,
  GroupMessageDeleteEvent,
  groupMessageDeleteEvent,
  GroupMessageEvent,
  groupMessageEvent,
  GuildMemberDecreaseEvent,
  guildMemberDecreaseEvent,
  GuildMemberIncreaseEvent,
  guildMemberIncreaseEvent,
  MemberDecreaseSubType,
  MemberIncreaseSubType,
  Message,
  MessageDeleteSubType,
  MessageEventInit,
  MessageInput,
  PipeSource,
  PlainSubType,
  PrivateMessageDeleteEvent,
  privateMessageDeleteEvent,
  PrivateMessageEvent,
  privateMessageEvent,
  Segment,
  SegmentType,
  StandardEventBase,
  StandardEventInit,
  StandardSegmentData,
  StatusData,
  VersionData,
} from "../event/mod.ts";
export type {
  OneBot,
  OneBotCompatOptions,
  OneBotHttpOptions,
  OneBotOptions,
  OneBotReverseWebSocketOptions,
  OneBotWebhookOptions,
  OneBotWebSocketOptions,
} from "../onebot.ts";
