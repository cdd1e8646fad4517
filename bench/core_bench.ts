// Micro-benchmarks of libob's hot paths, each grouped with a bare baseline so that
// the overhead reads as a ratio (`deno task bench`).
import { createDemoPlatform } from "../demo/platform.ts";
import {
  createActionRouter,
  createEvent,
  createHttpHandler,
  createOneBot,
  decodeJson,
  decodeMsgpack,
  encodeJson,
  encodeMsgpack,
  encodeResponse,
  isAuthorized,
  type Message,
  ok,
  parseActionRequest,
  toResponse,
} from "../mod.ts";

const self = { platform: "bench", user_id: "bot" };
const request = {
  action: "send_message",
  params: {
    detail_type: "private",
    user_id: "42",
    message: [{ type: "text", data: { text: "hi" } }],
  },
  echo: "123",
};
const requestJson = JSON.stringify(request);
const requestBytes = new TextEncoder().encode(requestJson);
const requestMsgpack = encodeMsgpack(request);
const response = toResponse(ok({ message_id: "1", time: 1700000000.5 }), "123");
const event = createEvent({
  type: "message",
  detail_type: "private",
  self,
  message_id: "1",
  message: [{ type: "text", data: { text: "hi" } }],
  alt_message: "hi",
  user_id: "42",
});
const handlers = { send_message: () => ok({ message_id: "1", time: 1 }) };
const router = createActionRouter({ handlers, bots: () => [self] });
const authed = new Request("http://localhost/", { headers: { Authorization: "Bearer s3cret" } });

Deno.bench("JSON.parse (baseline)", { group: "parse JSON request", baseline: true }, () => {
  JSON.parse(requestJson);
});
Deno.bench("decode bytes + parseActionRequest", { group: "parse JSON request" }, () => {
  parseActionRequest(JSON.parse(new TextDecoder().decode(requestBytes)));
});

const replacing = new TextDecoder();
const fatal = new TextDecoder("utf-8", { fatal: true });
Deno.bench("replacing UTF-8 decoder (baseline)", { group: "decode UTF-8", baseline: true }, () => {
  replacing.decode(requestBytes);
});
Deno.bench("fatal UTF-8 decoder", { group: "decode UTF-8" }, () => {
  fatal.decode(requestBytes);
});
Deno.bench("decodeJson (UTF-8 checked)", { group: "decode UTF-8" }, () => {
  decodeJson(requestBytes);
});

Deno.bench("msgpack decode (baseline)", { group: "parse msgpack request", baseline: true }, () => {
  decodeMsgpack(requestMsgpack);
});
Deno.bench("msgpack decode + parseActionRequest", { group: "parse msgpack request" }, () => {
  parseActionRequest(decodeMsgpack(requestMsgpack));
});

Deno.bench("direct handler call (baseline)", { group: "dispatch", baseline: true }, async () => {
  await handlers.send_message();
});
Deno.bench("router", { group: "dispatch" }, async () => {
  await router(request, { connection: "http" });
});

// createOneBot's router: the standard validators, the meta actions, one bot.
const onebot = createOneBot({
  impl: "bench",
  version: "1",
  bots: [{ self, online: true }],
  handlers,
});
const getVersion = { action: "get_version", params: {}, echo: "123" };
Deno.bench("createOneBot router send_message", { group: "dispatch" }, async () => {
  await onebot.router(request, { connection: "http" });
});
Deno.bench("createOneBot router get_version", { group: "dispatch" }, async () => {
  await onebot.router(getVersion, { connection: "http" });
});

// The demo's message store at its cap (1000 per chat): each message drops the oldest.
const platform = createDemoPlatform();
const chat = { detail_type: "private", user_id: "10001" } as const;
function newMessage(): Message {
  return [{ type: "text", data: { text: "hello" } }];
}
for (let i = 0; i < 1500; i++) {
  platform.addMessage({ sender_id: "bot", chat, message: newMessage() });
}
Deno.bench("allocate the message (baseline)", { group: "demo store", baseline: true }, () => {
  newMessage();
});
Deno.bench("demo addMessage at the cap", { group: "demo store" }, () => {
  platform.addMessage({ sender_id: "bot", chat, message: newMessage() });
});

Deno.bench("JSON.stringify (baseline)", { group: "encode JSON response", baseline: true }, () => {
  JSON.stringify(response);
});
Deno.bench("encodeJson", { group: "encode JSON response" }, () => {
  encodeJson(response);
});
Deno.bench("encodeResponse json", { group: "encode JSON response" }, () => {
  encodeResponse(response, "json");
});

Deno.bench(
  "msgpack encode (baseline)",
  { group: "encode msgpack response", baseline: true },
  () => {
    encodeMsgpack(response);
  },
);
Deno.bench("encodeResponse msgpack", { group: "encode msgpack response" }, () => {
  encodeResponse(response, "msgpack");
});

Deno.bench("JSON.stringify event (baseline)", { group: "event", baseline: true }, () => {
  JSON.stringify(event);
});
Deno.bench("createEvent + encodeJson", { group: "event" }, () => {
  encodeJson(createEvent({ type: "notice", detail_type: "friend_increase", self, user_id: "42" }));
});

Deno.bench("string === (baseline)", { group: "auth", baseline: true }, () => {
  void (authed.headers.get("authorization") === "Bearer s3cret");
});
Deno.bench("isAuthorized (constant time)", { group: "auth" }, () => {
  isAuthorized(authed, "s3cret");
});

const http = createHttpHandler(router);
Deno.bench("new Response (baseline)", { group: "http handler", baseline: true }, async () => {
  const req = new Request("http://localhost/", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: requestJson,
  });
  await req.arrayBuffer();
  await new Response(JSON.stringify(response), {
    headers: { "Content-Type": "application/json" },
  }).arrayBuffer();
});
Deno.bench("createHttpHandler", { group: "http handler" }, async () => {
  const res = await http(
    new Request("http://localhost/", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: requestJson,
    }),
  );
  await res.arrayBuffer();
});
