/**
 * The shape of a OneBot 12 bridge to a real chat platform. Replace
 * {@linkcode createFakeClient} with your platform's SDK and keep the rest:
 *
 * - `createBridge(client)` returns the OneBot: the shape `createTestKit`
 *   takes, so the bridge's tests run it in-process or over a real socket
 *   (`bridge_skeleton_test.ts`, next to this file: copy it too);
 * - platform updates are piped into the OneBot (`onebot.pipe`) and become
 *   standard events through the bot-bound builders (`bot.emit.*`), which
 *   fill `self`, `id` and `time` and refuse what breaks the standard;
 * - action handlers call the platform and turn its failures into retcodes;
 * - the bot's `online` follows the platform connection (`meta.status_update`);
 * - `serveOneBot` listens where the configuration file says, and on
 *   SIGINT/SIGTERM closes the platform first (so applications see the bot go
 *   offline), then the OneBot connections, then exits.
 *
 * Run it with
 * `deno run --allow-net --allow-read examples/bridge_skeleton.ts [onebot.toml]`
 * (without a file: HTTP and WebSocket on 127.0.0.1:5700, no token); the fake
 * platform answers every direct message it is sent.
 *
 * @module
 */

import {
  type Bot,
  type BotSelf,
  createOneBot,
  defineActions,
  failed,
  type Failure,
  isFailure,
  messageText,
  ok,
  type OneBot,
  RETCODE,
  type StandardActions,
} from "@libob/libob";
import {
  loadOneBotConfig,
  type OneBotConfig,
  parseOneBotConfig,
  serveOneBot,
} from "@libob/libob/config";

// ---------------------------------------------------------------------------
// The platform SDK: what a real client library typically offers.

/** A conversation on the platform: a direct chat with a user, or a room. */
export type PlatformChat = { kind: "direct"; userId: string } | { kind: "room"; roomId: string };

/** A message as the platform delivers it. */
export interface PlatformMessage {
  id: string;
  chat: PlatformChat;
  senderId: string;
  text: string;
  /** Unix time in milliseconds. */
  sentAt: number;
}

/** What the platform reports: a message, or a change of the connection. */
export type PlatformUpdate =
  | { kind: "message"; message: PlatformMessage }
  | { kind: "connection"; connected: boolean };

/** What the bridge needs from the platform's client. */
export interface PlatformClient {
  /** The bot's own account. */
  readonly me: { id: string; name: string };
  /** Opens the connection (a real SDK reconnects by itself afterwards). */
  connect(): Promise<void>;
  /** Closes the connection for good. */
  close(): Promise<void>;
  sendText(chat: PlatformChat, text: string): Promise<{ id: string; sentAt: number }>;
  deleteMessage(id: string): Promise<void>;
  /** Incoming messages and connection changes, as they happen. */
  updates(): AsyncIterable<PlatformUpdate>;
}

/**
 * A stand-in platform held in memory: connecting always works, and every
 * direct message sent to a user is answered by that user.
 */
export function createFakeClient(): PlatformClient {
  const subscribers = new Set<ReadableStreamDefaultController<PlatformUpdate>>();
  function publish(update: PlatformUpdate): void {
    for (const subscriber of subscribers) subscriber.enqueue(update);
  }
  let lastId = 0;
  let connected = false;
  function setConnected(value: boolean): void {
    connected = value;
    publish({ kind: "connection", connected: value });
  }
  return {
    me: { id: "bridge-bot", name: "Bridge bot" },
    connect: () => Promise.resolve(setConnected(true)),
    close: () => Promise.resolve(setConnected(false)),
    sendText(chat, text) {
      if (!connected) return Promise.reject(new Error("not connected"));
      const sent = { id: String(++lastId), sentAt: Date.now() };
      if (chat.kind === "direct") {
        publish({
          kind: "message",
          message: {
            id: String(++lastId),
            chat,
            senderId: chat.userId,
            text: `you said: ${text}`,
            sentAt: Date.now(),
          },
        });
      }
      return Promise.resolve(sent);
    },
    deleteMessage: () => connected ? Promise.resolve() : Promise.reject(new Error("not connected")),
    updates() {
      let subscriber: ReadableStreamDefaultController<PlatformUpdate>;
      return new ReadableStream<PlatformUpdate>({
        start(controller) {
          subscriber = controller;
          subscribers.add(controller);
        },
        cancel() {
          subscribers.delete(subscriber);
        },
      });
    },
  };
}

// ---------------------------------------------------------------------------
// The bridge.

/** The `platform` of `self` (§8: lower case, digits, `-`, `.`). */
const PLATFORM = "fakechat";

/** A platform message as the standard OneBot event, emitted by the bot. */
function emitMessage(bot: Bot, message: PlatformMessage): void {
  const init = {
    message_id: message.id,
    user_id: message.senderId,
    message: message.text,
    time: message.sentAt / 1000, // the platform's milliseconds; OneBot wants seconds
  };
  if (message.chat.kind === "direct") bot.emit.privateMessage(init);
  else bot.emit.groupMessage({ ...init, group_id: message.chat.roomId });
}

/** Runs a platform call; a failure becomes 34000 (Platform Error) with its reason. */
async function platformCall<T>(call: () => Promise<T>): Promise<T | Failure> {
  try {
    return await call();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failed(RETCODE.PLATFORM_ERROR, `the platform refused: ${reason}`);
  }
}

/** Options of {@linkcode createBridge}. */
export interface BridgeOptions {
  /** The connections, e.g. from a configuration file. Default: HTTP and WebSocket, no token. */
  connections?: OneBotConfig["connections"];
}

/**
 * Builds the OneBot in front of a platform client. The bot starts offline
 * and follows the client's connection. The client's updates are piped in
 * until the OneBot is disposed.
 */
export function createBridge(client: PlatformClient, options: BridgeOptions = {}): OneBot {
  const self: BotSelf = { platform: PLATFORM, user_id: client.me.id };
  const handlers = defineActions<StandardActions>({
    get_self_info: () =>
      ok({ user_id: client.me.id, user_name: client.me.name, user_displayname: "" }),
    async send_message(params) {
      const chat: PlatformChat | undefined = params.detail_type === "private"
        ? { kind: "direct", userId: params.user_id }
        : params.detail_type === "group"
        ? { kind: "room", roomId: params.group_id }
        : undefined;
      if (chat === undefined) {
        return failed(RETCODE.UNSUPPORTED_PARAM, `detail_type: ${PLATFORM} has no such chats`);
      }
      // `segments` below lets only text and mentions in.
      const sent = await platformCall(() => client.sendText(chat, messageText(params.message)));
      return isFailure(sent) ? sent : ok({ message_id: sent.id, time: sent.sentAt / 1000 });
    },
    async delete_message({ message_id }) {
      const done = await platformCall(() => client.deleteMessage(message_id));
      return done === undefined ? ok(null) : done;
    },
  });
  const onebot = createOneBot({
    impl: "fakechat-bridge",
    version: "0.1.0",
    bots: [{ self, online: false }],
    handlers,
    // Anything else answers 10005 before a handler runs.
    segments: { types: ["text", "mention"] },
    ...options.connections,
  });
  const bot = onebot.bot(self);
  // A bad update is logged and skipped; the pipe stops when the OneBot is disposed.
  onebot.pipe(client.updates(), (update) => {
    if (update.kind === "message") emitMessage(bot, update.message);
    else bot.setOnline(update.connected);
  });
  return onebot;
}

// ---------------------------------------------------------------------------
// The `deno run` entry.

/** Without a configuration file: HTTP and the forward WebSocket on 127.0.0.1:5700. */
const DEFAULT_CONFIG = {
  http: [{ host: "127.0.0.1", port: 5700 }],
  websocket: [{ host: "127.0.0.1", port: 5700 }],
};

if (import.meta.main) {
  const path = Deno.args[0];
  const config = path === undefined
    ? parseOneBotConfig(DEFAULT_CONFIG)
    : await loadOneBotConfig(path);
  const client = createFakeClient();
  const bridge = createBridge(client, { connections: config.connections });
  const server = await serveOneBot(bridge, config, { onShutdown: () => client.close() });
  for (const { hostname, port } of server.addresses) {
    // deno-lint-ignore no-console -- say where to point an application
    console.log(
      `fakechat bridge: OneBot 12 on http://${hostname}:${port}/ and ws://${hostname}:${port}/`,
    );
  }
  await client.connect();
}
