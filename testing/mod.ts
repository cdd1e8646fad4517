/**
 * Testing helpers for implementers: an in-process fake application
 * ({@linkcode createTestKit}) and one over a real socket
 * ({@linkcode connectTestClient}), with typed calls and a wait for the next
 * event.
 *
 * ```ts
 * import { ok } from "@libob/libob";
 * import { createTestKit } from "@libob/libob/testing";
 * import { expect } from "expect";
 *
 * const self = { platform: "demo", user_id: "bot" };
 * await using kit = createTestKit({
 *   impl: "my-impl",
 *   version: "1.0.0",
 *   bots: [{ self, online: true }],
 *   handlers: {
 *     get_self_info: () => ok({ user_id: "bot", user_name: "Bot", user_displayname: "" }),
 *   },
 * });
 * expect((await kit.call("get_self_info", {})).data.user_name).toBe("Bot");
 * kit.onebot.bot(self).emit.privateMessage({ message_id: "1", user_id: "42", message: "hi" });
 * expect(await kit.nextEvent()).toMatchObject({ detail_type: "private", user_id: "42" });
 * ```
 *
 * @module
 */

export { type EventPredicate, type EventWaits, type NextEventOptions } from "./_mailbox.ts";
export {
  connectTestClient,
  type TestClient,
  type TestClientCallOptions,
  type TestClientOptions,
} from "./test_client.ts";
export {
  type CallOptions,
  createTestKit,
  type TestKit,
  type TestKitOptions,
  type TestKitSourceOptions,
} from "./test_kit.ts";

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
  WithActions,
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
