/**
 * The shape of a OneBot 12 bridge to a real chat platform. Replace
 * {@linkcode createFakeClient} with your platform's SDK and keep the rest:
 *
 * - platform messages become standard events, built with the event builders;
 * - action handlers call the platform and turn its failures into retcodes;
 * - the bot's `online` follows the platform connection (`meta.status_update`);
 * - SIGINT/SIGTERM close the platform first (so applications see the bot go
 *   offline), then the OneBot connections, then exit.
 *
 * Run it with
 * `deno serve --host 127.0.0.1 --allow-env=ONEBOT_ACCESS_TOKEN examples/bridge_skeleton.ts`;
 * the fake platform answers every direct message it is sent.
 *
 * @module
 */

import {
  type BotSelf,
  createOneBot,
  defineActions,
  type Event,
  failed,
  type Failure,
  groupMessageEvent,
  isFailure,
  messageText,
  ok,
  type OneBot,
  privateMessageEvent,
  RETCODE,
  type StandardActions,
} from "../mod.ts";

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
  /** Incoming messages and connection changes. */
  listen(listener: {
    message(message: PlatformMessage): void;
    connection(connected: boolean): void;
  }): void;
}

/**
 * A stand-in platform held in memory: connecting always works, and every
 * direct message sent to a user is answered by that user.
 */
export function createFakeClient(): PlatformClient {
  const listeners: Parameters<PlatformClient["listen"]>[0][] = [];
  let lastId = 0;
  let connected = false;
  function setConnected(value: boolean): void {
    connected = value;
    for (const listener of listeners) listener.connection(value);
  }
  return {
    me: { id: "bridge-bot", name: "Bridge bot" },
    connect: () => Promise.resolve(setConnected(true)),
    close: () => Promise.resolve(setConnected(false)),
    sendText(chat, text) {
      if (!connected) return Promise.reject(new Error("not connected"));
      const sent = { id: String(++lastId), sentAt: Date.now() };
      if (chat.kind === "direct") {
        const reply: PlatformMessage = {
          id: String(++lastId),
          chat,
          senderId: chat.userId,
          text: `you said: ${text}`,
          sentAt: Date.now(),
        };
        queueMicrotask(() => listeners.forEach((listener) => listener.message(reply)));
      }
      return Promise.resolve(sent);
    },
    deleteMessage: () => connected ? Promise.resolve() : Promise.reject(new Error("not connected")),
    listen(listener) {
      listeners.push(listener);
    },
  };
}

// ---------------------------------------------------------------------------
// The bridge.

/** The `platform` of `self` (§8: lower case, digits, `-`, `.`). */
const PLATFORM = "fakechat";

/** A platform message as the standard OneBot event. */
function toEvent(self: BotSelf, message: PlatformMessage): Event {
  const init = {
    self,
    message_id: message.id,
    user_id: message.senderId,
    message: message.text,
    time: message.sentAt / 1000,
  };
  return message.chat.kind === "direct"
    ? privateMessageEvent(init)
    : groupMessageEvent({ ...init, group_id: message.chat.roomId });
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

/**
 * Builds the OneBot in front of a platform client. The bot starts offline
 * and follows the client's connection.
 */
export function createBridge(
  client: PlatformClient,
  options: { accessToken?: string | undefined } = {},
): OneBot {
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
    accessToken: options.accessToken,
  });
  client.listen({
    message: (message) => onebot.emit(toEvent(self, message)),
    connection: (connected) => onebot.updateBot({ self, online: connected }),
  });
  return onebot;
}

// ---------------------------------------------------------------------------
// The `deno serve` entry.

const client = createFakeClient();
const bridge = createBridge(client, { accessToken: Deno.env.get("ONEBOT_ACCESS_TOKEN") });

if (import.meta.main) {
  void client.connect();
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // Never hang on shutdown: exit after 5 s whatever is still open.
    setTimeout(() => Deno.exit(0), 5000);
    client.close()
      .then(() => bridge[Symbol.asyncDispose]())
      .finally(() => Deno.exit(0));
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
}

export default { fetch: bridge.fetch } satisfies Deno.ServeDefaultExport;
