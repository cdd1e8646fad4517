/**
 * The libob playground page: a chat client for the demo platform plus a live
 * log of the OneBot frames the implementation exchanges with the bot.
 *
 * Everything the server sends comes from untrusted peers (messages, frames):
 * it is only ever put in the page with `textContent` and DOM nodes, never as
 * HTML. Protocol: `demo/playground/README.md`.
 *
 * The JSDoc types check with the DOM library (`// @ts-check` plus
 * `/// <reference lib="dom" />` on top). They are not on here: `deno check .`
 * checks every file in one program, and the DOM's `WebSocket` would replace
 * Deno's (whose constructor takes headers) for the whole library.
 *
 * @module
 */

/**
 * @typedef {{ user_id: string, user_name: string, user_displayname: string, friend: boolean }} User
 * @typedef {{ user_id: string, nickname: string }} Member
 * @typedef {{ group_id: string, group_name: string, members: Member[] }} Group
 * @typedef {{ channel_id: string, channel_name: string, members: string[] }} Channel
 * @typedef {{ guild_id: string, guild_name: string, members: Member[], channels: Channel[] }} Guild
 * @typedef {{ bot: User, users: User[], groups: Group[], guilds: Guild[] }} State
 * @typedef {{ detail_type: "private", user_id: string }
 *   | { detail_type: "group", group_id: string }
 *   | { detail_type: "channel", guild_id: string, channel_id: string }} Chat
 * @typedef {{ type: string, data: Record<string, unknown> }} Segment
 * @typedef {{ message_id: string, time: number, sender_id: string, chat: Chat,
 *   message: Segment[], alt_message: string }} Message
 * @typedef {{ seq: number, time: number, direction: "in" | "out",
 *   type: "action" | "response" | "event", connection: string, peer: string,
 *   encoding: string, data: unknown }} LogFrame
 * @typedef {{ ok: boolean, data?: unknown, message?: string }} Result
 * @typedef {{ connection: string, peer: string, since: number, last: number }} Link
 * @typedef {{ token: boolean, webhooks: string[], reverse: string[] }} ConnectInfo
 */

/** At most this many frame rows are kept (in the page and while paused). */
const MAX_FRAMES = 2000;
/** Delay between reconnection attempts. */
const RETRY_MS = 2000;
/** The largest file the server accepts. */
const MAX_UPLOAD = 8 * 1024 * 1024;
/** What may follow a mention's name. */
const MENTION_END = /[\s,.;:!?)\]}'"，。！？、]/;
/** Avatar colour classes in style.css. */
const AVATAR_COLOURS = 8;

// --- Elements --------------------------------------------------------------

/**
 * The element with this ID (the page is ours: it exists).
 *
 * @template {HTMLElement} T
 * @param {string} id
 * @returns {T}
 */
function byId(id) {
  return /** @type {T} */ (document.getElementById(id));
}

const ui = {
  connection: byId("connection"),
  bots: byId("bots"),
  botInfo: byId("bot-info"),
  chats: byId("chats"),
  chatsToggle: /** @type {HTMLButtonElement} */ (byId("chats-toggle")),
  chatsCurrent: byId("chats-current"),
  chatList: byId("chat-list"),
  noBot: byId("no-bot"),
  noBotWays: byId("no-bot-ways"),
  chatTitle: byId("chat-title"),
  chatMeta: byId("chat-meta"),
  acting: /** @type {HTMLSelectElement} */ (byId("acting")),
  leave: /** @type {HTMLButtonElement} */ (byId("leave")),
  joinBox: byId("join-box"),
  joinUser: /** @type {HTMLSelectElement} */ (byId("join-user")),
  join: /** @type {HTMLButtonElement} */ (byId("join")),
  botAbsent: byId("bot-absent"),
  messages: byId("messages"),
  composer: /** @type {HTMLFormElement} */ (byId("composer")),
  replyChip: byId("reply-chip"),
  replyText: byId("reply-text"),
  replyCancel: /** @type {HTMLButtonElement} */ (byId("reply-cancel")),
  error: byId("error"),
  attach: /** @type {HTMLInputElement} */ (byId("attach")),
  input: /** @type {HTMLTextAreaElement} */ (byId("message")),
  send: /** @type {HTMLButtonElement} */ (byId("send")),
  frameCount: byId("frame-count"),
  filterText: /** @type {HTMLInputElement} */ (byId("filter-text")),
  filterDirection: /** @type {HTMLSelectElement} */ (byId("filter-direction")),
  filterType: /** @type {HTMLSelectElement} */ (byId("filter-type")),
  filterConnection: /** @type {HTMLSelectElement} */ (byId("filter-connection")),
  filterHeartbeats: /** @type {HTMLInputElement} */ (byId("filter-heartbeats")),
  pause: /** @type {HTMLButtonElement} */ (byId("pause")),
  clear: /** @type {HTMLButtonElement} */ (byId("clear")),
  pausedNote: byId("paused-note"),
  frameLog: byId("frame-log"),
};

// --- Page state ------------------------------------------------------------

/** @type {State | null} */
let state = null;
/** Stored messages, oldest first. @type {Message[]} */
let messages = [];
/** The same, by ID. @type {Map<string, Message>} */
const messageById = new Map();
/** The selected chat's key (see {@link chatKey}), "" for none. */
let selected = "";
/** Who the person acts as, per chat key. @type {Map<string, string>} */
const actingByChat = new Map();
/** The message whose controls are in the tab order. @type {HTMLElement | null} */
let activeMessage = null;
/** Messages that arrived in chats not on screen, per chat key. @type {Map<string, number>} */
const unread = new Map();
/** Unsent text, per chat key. @type {Map<string, string>} */
const drafts = new Map();
/** The bot apps the demo's frames show (see `links.ts`). @type {Link[]} */
let links = [];
/** How a bot app can connect: the push targets and whether a token is needed. @type {ConnectInfo} */
let connectInfo = { token: false, webhooks: [], reverse: [] };
/** The message being replied to. @type {Message | null} */
let replyTo = null;
/** File names known to the page (its own uploads, or read from the server). @type {Map<string, string>} */
const fileNames = new Map();
/** File IDs whose name is being asked for. @type {Set<string>} */
const fileNameAsked = new Set();

/** @type {WebSocket | null} */
let socket = null;
let nextCommandId = 1;
/** Answers awaited, by command ID. @type {Map<number, (result: Result) => void>} */
const pending = new Map();

// Frame log state.
/** Frames waiting for the next animation frame to be drawn. @type {LogFrame[]} */
let frameQueue = [];
/** Frames kept while paused. @type {LogFrame[]} */
let pausedFrames = [];
let paused = false;
let flushScheduled = false;
/** The frame of each row. @type {WeakMap<Element, LogFrame>} */
const frameOfRow = new WeakMap();
/** Lower-cased searchable text of each frame, made on first search. @type {WeakMap<LogFrame, string>} */
const frameText = new WeakMap();

// --- Socket ------------------------------------------------------------------

/** Opens the page's socket; on close, says so and tries again every 2 s. */
function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const url = `${scheme}//${location.host}/playground/socket${location.search}`;
  setConnection("connecting", "page: connecting…");
  const ws = new WebSocket(url);
  socket = ws;
  let opened = false;
  ws.addEventListener("open", () => {
    opened = true;
    setConnection("connected", "page: connected");
  });
  ws.addEventListener("message", (event) => {
    if (typeof event.data !== "string") return;
    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      return;
    }
    if (isRecord(frame)) onServerFrame(frame);
  });
  ws.addEventListener("close", () => {
    if (socket !== ws) return;
    socket = null;
    for (const answer of pending.values()) answer({ ok: false, message: "disconnected" });
    pending.clear();
    // Refused before opening: most likely a demo with an access token and none in our address.
    const hasToken = new URLSearchParams(location.search).has("access_token");
    setConnection(
      "disconnected",
      opened || hasToken
        ? "page: disconnected, reconnecting…"
        : "page: cannot connect; if the demo has an access token, add ?access_token=… to this address",
    );
    renderBots();
    setTimeout(connect, RETRY_MS);
  });
}

/**
 * Shows the state of the page's own link to the demo in the header.
 *
 * @param {string} name `connecting`, `connected` or `disconnected`
 * @param {string} text
 */
function setConnection(name, text) {
  ui.connection.dataset.state = name;
  ui.connection.textContent = text;
}

/**
 * Sends one page command and resolves with its result.
 *
 * @param {Record<string, unknown>} body the op and its fields (the ID is added)
 * @returns {Promise<Result>}
 */
function command(body) {
  const ws = socket;
  if (ws === null || ws.readyState !== WebSocket.OPEN) {
    return Promise.resolve({ ok: false, message: "not connected to the demo" });
  }
  const id = nextCommandId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    ws.send(JSON.stringify({ ...body, id }));
  });
}

/**
 * Handles one frame from the server.
 *
 * @param {Record<string, unknown>} frame
 */
function onServerFrame(frame) {
  switch (frame.type) {
    case "hello":
      return onHello(frame);
    case "state":
      if (isRecord(frame.state)) onState(/** @type {State} */ (frame.state));
      return;
    case "message":
      if (isRecord(frame.message)) onMessage(/** @type {Message} */ (frame.message));
      return;
    case "message_deleted":
      return onMessageDeleted(String(frame.message_id));
    case "links":
      links = Array.isArray(frame.links)
        ? /** @type {Link[]} */ (frame.links.filter(isRecord))
        : [];
      return renderBots();
    case "frame":
      if (isRecord(frame.frame)) addFrames([/** @type {LogFrame} */ (frame.frame)]);
      return;
    case "result": {
      const answer = pending.get(Number(frame.id));
      if (answer !== undefined) {
        pending.delete(Number(frame.id));
        answer(/** @type {Result} */ (frame));
      } else if (frame.ok === false) {
        showError(String(frame.message ?? "the demo refused a command"));
      }
      return;
    }
  }
}

/**
 * Resets the page to the server's snapshot (first frame of every connection).
 *
 * @param {Record<string, unknown>} hello
 */
function onHello(hello) {
  state = /** @type {State} */ (hello.state);
  messages = Array.isArray(hello.messages)
    ? /** @type {Message[]} */ (hello.messages.filter(isRecord))
    : [];
  messageById.clear();
  for (const message of messages) messageById.set(message.message_id, message);
  unread.clear();
  if (replyTo !== null && !messageById.has(replyTo.message_id)) setReply(null);
  const bot = state.bot;
  ui.botInfo.textContent = `bot account: ${userName(bot)} (${bot.user_id})`;
  links = Array.isArray(hello.links) ? /** @type {Link[]} */ (hello.links.filter(isRecord)) : [];
  if (isRecord(hello.connect)) connectInfo = /** @type {ConnectInfo} */ (hello.connect);
  ui.noBot.hidden = true; // drawn anew: the demo may have restarted with other targets
  renderBots();
  if (chatByKey(selected) === undefined) selected = defaultChatKey();
  renderChats();
  renderChat();
  clearFrames();
  addFrames(
    Array.isArray(hello.frames) ? /** @type {LogFrame[]} */ (hello.frames.filter(isRecord)) : [],
  );
}

/**
 * A structural change: redraws the chat list and the selected chat.
 *
 * @param {State} next
 */
function onState(next) {
  state = next;
  if (chatByKey(selected) === undefined) selected = defaultChatKey();
  renderChats();
  renderChat();
}

/**
 * A stored message: shown if its chat is on screen, else counted as unread.
 *
 * @param {Message} message
 */
function onMessage(message) {
  if (messageById.has(message.message_id)) return;
  messages.push(message);
  messageById.set(message.message_id, message);
  const key = chatKey(message.chat);
  if (key === selected) {
    const stick = isAtBottom(ui.messages) || message.sender_id === actingUserId();
    ui.messages.querySelector(".empty")?.remove();
    ui.messages.append(renderMessage(message));
    if (stick) scrollToBottom(ui.messages);
  } else {
    unread.set(key, (unread.get(key) ?? 0) + 1);
    renderChats();
  }
}

/**
 * A deleted message: removed, and quotes of it say so.
 *
 * @param {string} id
 */
function onMessageDeleted(id) {
  const message = messageById.get(id);
  if (message === undefined) return;
  messageById.delete(id);
  messages = messages.filter((item) => item.message_id !== id);
  for (const node of ui.messages.querySelectorAll("[data-message-id]")) {
    if (!(node instanceof HTMLElement) || node.dataset.messageId !== id) continue;
    if (node === activeMessage) activeMessage = null;
    if (node.contains(document.activeElement)) {
      // Keep keyboard focus in the conversation.
      const neighbour = node.nextElementSibling ?? node.previousElementSibling;
      if (neighbour instanceof HTMLElement && neighbour.tagName === "ARTICLE") neighbour.focus();
      else ui.messages.focus();
    }
    node.remove();
  }
  for (const quote of ui.messages.querySelectorAll(".quote")) {
    if (quote instanceof HTMLElement && quote.dataset.replyTo === id) {
      quote.replaceWith(renderQuote(id));
    }
  }
  if (replyTo?.message_id === id) setReply(null);
  const key = chatKey(message.chat);
  if (key === selected && messages.every((item) => chatKey(item.chat) !== key)) {
    ui.messages.append(emptyNote());
  }
}

// --- Chats ---------------------------------------------------------------------

/**
 * A chat's key: `private:<user>`, `group:<group>` or `channel:<guild>:<channel>`.
 *
 * @param {Chat} chat
 * @returns {string}
 */
function chatKey(chat) {
  switch (chat.detail_type) {
    case "private":
      return `private:${chat.user_id}`;
    case "group":
      return `group:${chat.group_id}`;
    case "channel":
      return `channel:${chat.guild_id}:${chat.channel_id}`;
    default:
      return "";
  }
}

/**
 * What the page knows of one chat.
 *
 * @typedef {{ key: string, chat: Chat, name: string, members: string[],
 *   botHere: boolean, nickname: (userId: string) => string }} ChatInfo
 */

/**
 * The chat with this key in the current state.
 *
 * @param {string} key
 * @returns {ChatInfo | undefined}
 */
function chatByKey(key) {
  if (state === null || key === "") return undefined;
  return allChats().find((chat) => chat.key === key);
}

/**
 * Every chat: DMs, groups, then each guild's channels.
 *
 * @returns {ChatInfo[]}
 */
function allChats() {
  if (state === null) return [];
  const botId = state.bot.user_id;
  /** @type {ChatInfo[]} */
  const chats = [];
  for (const user of state.users) {
    /** @type {Chat} */
    const chat = { detail_type: "private", user_id: user.user_id };
    chats.push({
      key: chatKey(chat),
      chat,
      name: userName(user),
      members: [user.user_id, botId],
      botHere: true,
      nickname: () => "",
    });
  }
  for (const group of state.groups) {
    /** @type {Chat} */
    const chat = { detail_type: "group", group_id: group.group_id };
    const members = group.members.map((member) => member.user_id);
    chats.push({
      key: chatKey(chat),
      chat,
      name: group.group_name,
      members,
      botHere: members.includes(botId),
      nickname: nicknames(group.members),
    });
  }
  for (const guild of state.guilds) {
    const inGuild = guild.members.some((member) => member.user_id === botId);
    for (const channel of guild.channels) {
      /** @type {Chat} */
      const chat = {
        detail_type: "channel",
        guild_id: guild.guild_id,
        channel_id: channel.channel_id,
      };
      chats.push({
        key: chatKey(chat),
        chat,
        name: `#${channel.channel_name}`,
        members: [...channel.members],
        botHere: inGuild && channel.members.includes(botId),
        nickname: nicknames(guild.members),
      });
    }
  }
  return chats;
}

/**
 * Looks nicknames up in a member list.
 *
 * @param {Member[]} members
 * @returns {(userId: string) => string}
 */
function nicknames(members) {
  const map = new Map(members.map((member) => [member.user_id, member.nickname]));
  return (userId) => map.get(userId) ?? "";
}

/** The first group, else the first chat. */
function defaultChatKey() {
  const chats = allChats();
  return (chats.find((chat) => chat.chat.detail_type === "group") ?? chats[0])?.key ?? "";
}

/** Redraws the chat list (keeping focus on the same entry). */
function renderChats() {
  if (state === null) return;
  const focusedKey = document.activeElement instanceof HTMLElement
    ? document.activeElement.dataset.chat
    : undefined;
  const chats = allChats();
  const byKey = new Map(chats.map((chat) => [chat.key, chat]));
  const fragment = document.createDocumentFragment();

  /**
   * One section: a heading and its chat buttons.
   *
   * @param {string} title
   * @param {ChatInfo[]} entries
   * @param {string} [note] shown after the heading (e.g. the bot left the guild)
   */
  function section(title, entries, note) {
    const heading = el("h2", "chat-section", title);
    if (note !== undefined) heading.append(" ", el("span", "muted-note", note));
    const list = el("ul", "chat-entries");
    for (const chat of entries) list.append(el("li", "", chatButton(chat)));
    if (entries.length === 0) list.append(el("li", "chat-none", "none"));
    fragment.append(heading, list);
  }

  section("Direct messages", chats.filter((chat) => chat.chat.detail_type === "private"));
  section("Groups", chats.filter((chat) => chat.chat.detail_type === "group"));
  for (const guild of state.guilds) {
    const botHere = guild.members.some((member) => member.user_id === state?.bot.user_id);
    const entries = guild.channels
      .map((channel) => byKey.get(`channel:${guild.guild_id}:${channel.channel_id}`))
      .filter((chat) => chat !== undefined);
    section(guild.guild_name, entries, botHere ? undefined : "(bot not here)");
  }
  ui.chatList.replaceChildren(fragment);
  if (focusedKey !== undefined) {
    for (const button of ui.chatList.querySelectorAll("button")) {
      if (button.dataset.chat === focusedKey) button.focus();
    }
  }
}

/**
 * A chat entry: a button named exactly by the chat's name.
 *
 * @param {ChatInfo} chat
 * @returns {HTMLButtonElement}
 */
function chatButton(chat) {
  const button = /** @type {HTMLButtonElement} */ (el("button", "chat-entry"));
  button.type = "button";
  button.dataset.chat = chat.key;
  if (chat.key === selected) button.setAttribute("aria-current", "true");
  const notes = [];
  if (chat.chat.detail_type === "private") {
    const user = userById(chat.chat.user_id);
    button.append(avatar(chat.chat.user_id, chat.name));
    if (user !== undefined && !user.friend) notes.push("not the bot's friend");
  } else {
    const mark = el("span", "chat-icon", chat.chat.detail_type === "group" ? icon("group") : "#");
    mark.setAttribute("aria-hidden", "true");
    button.append(mark);
  }
  button.append(el("span", "chat-name", chat.name));
  if (!chat.botHere) {
    button.classList.add("absent");
    notes.push("the bot is not here");
  }
  const count = unread.get(chat.key) ?? 0;
  if (count > 0) {
    const badge = el("span", "badge", String(count));
    badge.setAttribute("aria-hidden", "true");
    button.append(badge);
    notes.push(`${count} unread`);
  }
  if (notes.length > 0) {
    button.title = notes.join(", ");
    button.setAttribute("aria-description", notes.join(", "));
  }
  button.addEventListener("click", () => selectChat(chat.key));
  return button;
}

/**
 * Shows a chat.
 *
 * @param {string} key
 */
function selectChat(key) {
  if (key === selected) return;
  if (ui.input.value === "") drafts.delete(selected);
  else drafts.set(selected, ui.input.value);
  ui.input.value = drafts.get(key) ?? "";
  selected = key;
  unread.delete(key);
  setChatsOpen(false);
  setReply(null);
  showError("");
  renderChats();
  renderChat();
}

/** Redraws the selected chat: header, acting user, messages. */
function renderChat() {
  const chat = chatByKey(selected);
  ui.chatsCurrent.textContent = chat?.name ?? "";
  if (state === null || chat === undefined) {
    ui.chatTitle.textContent = "No chat selected";
    ui.chatMeta.textContent = "";
    ui.messages.replaceChildren();
    return;
  }
  ui.chatTitle.textContent = chat.name;
  ui.botAbsent.hidden = chat.botHere;
  renderActing(chat);
  renderMeta(chat);
  renderMessages(chat);
}

/**
 * The header's second line: kind and member count.
 *
 * @param {ChatInfo} chat
 */
function renderMeta(chat) {
  if (chat.chat.detail_type === "private") {
    const user = userById(chat.chat.user_id);
    const name = user === undefined ? chat.chat.user_id : `@${user.user_name}`;
    const relation = user?.friend ? "friend of the bot" : "not the bot's friend";
    ui.chatMeta.textContent = `Direct message with the bot · ${name} · ${relation}`;
    return;
  }
  const count = chat.members.length;
  const kind = chat.chat.detail_type === "group" ? "Group" : "Channel";
  ui.chatMeta.textContent = `${kind} · ${count} ${count === 1 ? "member" : "members"}`;
}

/**
 * The "Acting as" list and the join/leave controls for this chat.
 *
 * @param {ChatInfo} chat
 */
function renderActing(chat) {
  const botId = state?.bot.user_id ?? "";
  const people = chat.chat.detail_type === "private"
    ? [chat.chat.user_id]
    : chat.members.filter((id) => id !== botId);
  let acting = actingByChat.get(chat.key) ?? "";
  if (!people.includes(acting)) acting = people[0] ?? "";
  if (acting === "") actingByChat.delete(chat.key);
  else actingByChat.set(chat.key, acting);

  ui.acting.replaceChildren(
    ...people.map((id) => {
      const option = new Option(memberName(chat, id), id, false, id === acting);
      return option;
    }),
  );
  if (people.length === 0) ui.acting.append(new Option("nobody here", "", true, true));
  ui.acting.disabled = chat.chat.detail_type === "private" || people.length === 0;
  ui.input.disabled = people.length === 0;
  ui.send.disabled = people.length === 0;
  ui.attach.disabled = people.length === 0;

  const isGroup = chat.chat.detail_type === "group";
  ui.leave.hidden = !isGroup || acting === "";
  ui.leave.title = acting === "" ? "" : `${memberName(chat, acting)} leaves the group`;
  const outsiders = isGroup && state !== null
    ? state.users.filter((user) => !chat.members.includes(user.user_id))
    : [];
  ui.joinBox.hidden = outsiders.length === 0;
  ui.joinUser.replaceChildren(
    ...outsiders.map((user) => new Option(userName(user), user.user_id)),
  );
}

/** The user the person acts as in the selected chat, "" for none. */
function actingUserId() {
  return actingByChat.get(selected) ?? "";
}

// --- Messages ------------------------------------------------------------------

/**
 * Redraws the conversation of a chat.
 *
 * @param {ChatInfo} chat
 */
function renderMessages(chat) {
  const keepBottom = isAtBottom(ui.messages);
  const previousKey = ui.messages.dataset.chat;
  const scrollTop = ui.messages.scrollTop;
  const fragment = document.createDocumentFragment();
  for (const message of messages) {
    if (chatKey(message.chat) === chat.key) fragment.append(renderMessage(message));
  }
  if (fragment.childNodes.length === 0) fragment.append(emptyNote());
  activeMessage = null;
  ui.messages.setAttribute("aria-busy", "true");
  ui.messages.replaceChildren(fragment);
  ui.messages.removeAttribute("aria-busy");
  ui.messages.dataset.chat = chat.key;
  if (previousKey !== chat.key || keepBottom) scrollToBottom(ui.messages);
  else ui.messages.scrollTop = scrollTop;
}

/**
 * The links and buttons of a message.
 *
 * @param {Element} item
 * @returns {NodeListOf<HTMLElement>}
 */
function messageControls(item) {
  return item.querySelectorAll("button, a[href]");
}

/**
 * Makes a message the active one: its controls are in the tab order.
 *
 * @param {HTMLElement | null} item
 */
function setActiveMessage(item) {
  if (activeMessage === item) return;
  if (activeMessage !== null) {
    for (const control of messageControls(activeMessage)) control.tabIndex = -1;
  }
  activeMessage = item;
  if (item !== null) { for (const control of messageControls(item)) control.tabIndex = 0; }
}

/**
 * Arrow keys, Home and End move between messages.
 *
 * @param {KeyboardEvent} event
 */
function onMessagesKey(event) {
  if (!["ArrowUp", "ArrowDown", "Home", "End"].includes(event.key)) return;
  if (event.target instanceof HTMLElement && event.target.closest(".msg-actions") === null) {
    if (event.target !== ui.messages && event.target.tagName !== "ARTICLE") return;
  }
  const items = [...ui.messages.querySelectorAll("article")];
  if (items.length === 0) return;
  const current = event.target instanceof HTMLElement ? event.target.closest("article") : null;
  let index = current === null ? items.length : items.indexOf(current);
  if (event.key === "ArrowUp") index--;
  else if (event.key === "ArrowDown") index = current === null ? items.length - 1 : index + 1;
  else if (event.key === "Home") index = 0;
  else index = items.length - 1;
  const next = items[Math.max(0, Math.min(items.length - 1, index))];
  if (next === undefined) return;
  event.preventDefault();
  next.focus();
}

/** The note of an empty conversation. */
function emptyNote() {
  return el("p", "empty", "No messages yet. Say hello, or have your bot say something.");
}

/**
 * One message: avatar, sender, time, segments, and its buttons.
 *
 * @param {Message} message
 * @returns {HTMLElement}
 */
function renderMessage(message) {
  const botId = state?.bot.user_id ?? "";
  const isBot = message.sender_id === botId;
  const chat = chatByKey(chatKey(message.chat));
  const sender = chat === undefined
    ? displayName(message.sender_id)
    : memberName(chat, message.sender_id);
  const item = el("article", isBot ? "msg bot" : "msg");
  item.tabIndex = -1;
  item.dataset.messageId = message.message_id;
  if (message.sender_id === actingUserId()) item.classList.add("mine");

  const head = el("div", "msg-head");
  head.append(el("span", "msg-sender", sender));
  if (isBot) head.append(el("span", "tag", "bot"));
  const time = /** @type {HTMLTimeElement} */ (el("time", "msg-time"));
  const date = new Date(Number(message.time) * 1000);
  if (!Number.isNaN(date.getTime())) {
    time.dateTime = date.toISOString();
    time.textContent = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    time.title = date.toLocaleString();
  }
  head.append(time);

  const body = el("div", "msg-body");
  const segments = Array.isArray(message.message) ? message.message : [];
  for (const segment of segments) body.append(renderSegment(segment, chat));
  if (segments.length === 0) body.append(el("span", "muted-note", "(empty message)"));

  const actions = el("span", "msg-actions");
  const reply = el("button", "link-button", "Reply");
  reply.addEventListener("click", () => {
    setReply(message);
    ui.input.focus();
  });
  actions.append(reply);
  if (!isBot) {
    const remove = el("button", "link-button danger", "Delete");
    remove.addEventListener("click", () => deleteMessage(message));
    actions.append(remove);
  }

  head.append(actions);
  const main = el("div", "msg-main", head, body);
  item.append(avatar(message.sender_id, sender), main);
  // One tab stop for the whole conversation: a message's controls join the
  // tab order when it is the active one (arrow keys move between messages).
  for (const control of messageControls(item)) control.tabIndex = -1;
  return item;
}

/**
 * One segment as DOM nodes.
 *
 * @param {Segment} segment
 * @param {ChatInfo | undefined} chat
 * @returns {Node}
 */
function renderSegment(segment, chat) {
  const data = isRecord(segment?.data) ? segment.data : {};
  switch (segment?.type) {
    case "text":
      return el("span", "seg-text", String(data.text ?? ""));
    case "mention": {
      const userId = String(data.user_id ?? "");
      const name = chat === undefined ? displayName(userId) : memberName(chat, userId);
      const isBot = userId === state?.bot.user_id;
      const node = el("span", isBot ? "mention mention-bot" : "mention", `@${name}`);
      node.title = `user ${userId}`;
      return node;
    }
    case "mention_all":
      return el("span", "mention mention-all", "@all");
    case "reply":
      return renderQuote(String(data.message_id ?? ""));
    case "image": {
      const fileId = String(data.file_id ?? "");
      const link = /** @type {HTMLAnchorElement} */ (el("a", "seg-image"));
      link.href = fileUrl(fileId);
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      const image = /** @type {HTMLImageElement} */ (el("img"));
      image.src = fileUrl(fileId);
      image.alt = fileNames.get(fileId) ?? "image";
      image.loading = "lazy";
      link.append(image);
      return link;
    }
    case "file":
    case "voice":
    case "audio":
    case "video": {
      const fileId = String(data.file_id ?? "");
      const link = /** @type {HTMLAnchorElement} */ (el("a", "seg-file"));
      link.href = fileUrl(fileId);
      link.download = "";
      link.dataset.fileId = fileId;
      const name = el("span", "file-name", fileNames.get(fileId) ?? `${segment.type} ${fileId}`);
      link.append(el("span", "file-kind", segment.type), name);
      if (!fileNames.has(fileId)) askFileName(fileId);
      return link;
    }
    case "location": {
      const box = el("span", "seg-location");
      box.append(icon("pin"), el("span", "location-title", String(data.title ?? "location")));
      box.append(el("span", "location-coords", ` ${coords(data.latitude, data.longitude)}`));
      if (data.content) box.append(el("span", "location-content", ` — ${String(data.content)}`));
      return box;
    }
    default: {
      const box = el("span", "seg-other");
      box.append(el("span", "seg-type", String(segment?.type ?? "?")));
      box.append(el("code", "", JSON.stringify(data)));
      return box;
    }
  }
}

/**
 * The quote at the top of a reply.
 *
 * @param {string} id the replied message's ID
 * @returns {HTMLElement}
 */
function renderQuote(id) {
  const quote = el("span", "quote");
  quote.dataset.replyTo = id;
  const original = messageById.get(id);
  if (original === undefined) {
    quote.classList.add("gone");
    quote.textContent = "deleted message";
    return quote;
  }
  const chat = chatByKey(chatKey(original.chat));
  const sender = chat === undefined
    ? displayName(original.sender_id)
    : memberName(chat, original.sender_id);
  quote.append(el("span", "quote-sender", sender), " ", el("span", "", original.alt_message));
  return quote;
}

/**
 * "lat, lon" with 5 decimals.
 *
 * @param {unknown} latitude
 * @param {unknown} longitude
 */
function coords(latitude, longitude) {
  const lat = Number(latitude);
  const lon = Number(longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return "(no coordinates)";
  return `(${lat.toFixed(5)}, ${lon.toFixed(5)})`;
}

/**
 * The URL of a stored file (with the page's query string: the access token).
 *
 * @param {string} fileId
 */
function fileUrl(fileId) {
  return `/playground/files/${encodeURIComponent(fileId)}${location.search}`;
}

/**
 * Learns a file's name from its `Content-Disposition` and updates its links.
 *
 * @param {string} fileId
 */
function askFileName(fileId) {
  if (fileId === "" || fileNameAsked.has(fileId)) return;
  fileNameAsked.add(fileId);
  fetch(fileUrl(fileId), { method: "HEAD" }).then(async (response) => {
    await response.body?.cancel();
    const disposition = response.headers.get("content-disposition") ?? "";
    const match = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    if (!response.ok || match === null) return;
    const name = decodeURIComponent(match[1] ?? "");
    if (name === "") return;
    fileNames.set(fileId, name);
    for (const link of ui.messages.querySelectorAll(".seg-file")) {
      if (link instanceof HTMLElement && link.dataset.fileId === fileId) {
        const label = link.querySelector(".file-name");
        if (label !== null) label.textContent = name;
      }
    }
  }).catch(() => {});
}

// --- Composer ------------------------------------------------------------------

/**
 * Starts (or, with null, cancels) a reply.
 *
 * @param {Message | null} message
 */
function setReply(message) {
  replyTo = message;
  ui.replyChip.hidden = message === null;
  if (message === null) {
    ui.replyText.textContent = "";
    return;
  }
  const chat = chatByKey(chatKey(message.chat));
  const sender = chat === undefined
    ? displayName(message.sender_id)
    : memberName(chat, message.sender_id);
  const text = message.alt_message.length > 80
    ? `${message.alt_message.slice(0, 80)}…`
    : message.alt_message;
  ui.replyText.textContent = `Replying to ${sender}: ${text}`;
}

/**
 * Shows (or, with "", clears) an error under the conversation.
 *
 * @param {string} text
 */
function showError(text) {
  ui.error.textContent = text;
}

/**
 * The composer's text as segments: `@name` (a member's user name, display
 * name, nickname or user ID; names may hold spaces) followed by a space,
 * punctuation or the end becomes a mention, `@all` a mention_all.
 *
 * @param {string} text
 * @param {ChatInfo} chat
 * @returns {Segment[]}
 */
function parseMessage(text, chat) {
  const names = mentionNames(chat);
  /** @type {Segment[]} */
  const segments = [];
  let plain = "";
  let index = 0;
  while (index < text.length) {
    if (text[index] === "@" && (index === 0 || /\s/.test(text[index - 1] ?? ""))) {
      const after = index + 1;
      const found = names.find(({ name }) => {
        const end = after + name.length;
        return text.slice(after, end).toLowerCase() === name &&
          (end === text.length || MENTION_END.test(text[end] ?? ""));
      });
      if (found !== undefined) {
        if (plain !== "") segments.push({ type: "text", data: { text: plain } });
        plain = "";
        segments.push(found.segment);
        index = after + found.name.length;
        continue;
      }
    }
    plain += text[index];
    index++;
  }
  if (plain !== "") segments.push({ type: "text", data: { text: plain } });
  return segments;
}

/**
 * What can follow `@` in a chat (lower-cased, longest first) and the segment
 * each stands for.
 *
 * @param {ChatInfo} chat
 * @returns {{ name: string, segment: Segment }[]}
 */
function mentionNames(chat) {
  /** @type {{ name: string, segment: Segment }[]} */
  const names = [];
  if (chat.chat.detail_type !== "private") {
    names.push({ name: "all", segment: { type: "mention_all", data: {} } });
  }
  for (const id of chat.members) {
    const user = userById(id);
    const segment = { type: "mention", data: { user_id: id } };
    for (const name of [user?.user_name, user?.user_displayname, chat.nickname(id), id]) {
      if (name) names.push({ name: name.toLowerCase(), segment });
    }
  }
  return names.sort((a, b) => b.name.length - a.name.length);
}

/** Sends the composer's message (as the acting user, replying if set). */
async function sendComposed() {
  const chat = chatByKey(selected);
  const userId = actingUserId();
  const text = ui.input.value;
  if (chat === undefined || userId === "" || text.trim() === "") return;
  const segments = parseMessage(text, chat);
  const reply = replyTo;
  ui.input.value = "";
  setReply(null);
  const result = await send(chat, userId, segments, reply);
  if (!result.ok && ui.input.value === "") {
    ui.input.value = text;
    if (reply !== null && messageById.has(reply.message_id)) setReply(reply);
  }
}

/**
 * Sends segments to a chat as a user; shows a failure.
 *
 * @param {ChatInfo} chat
 * @param {string} userId
 * @param {Segment[]} segments
 * @param {Message | null} reply
 * @returns {Promise<Result>}
 */
async function send(chat, userId, segments, reply) {
  const message = reply === null ? segments : [
    { type: "reply", data: { message_id: reply.message_id, user_id: reply.sender_id } },
    ...segments,
  ];
  const result = await command({ op: "send", user_id: userId, chat: chat.chat, message });
  showError(result.ok ? "" : `Not sent: ${result.message ?? "unknown error"}`);
  return result;
}

/** Uploads the chosen file and sends it as an image or file message. */
async function sendAttachment() {
  const file = ui.attach.files?.[0];
  ui.attach.value = "";
  const chat = chatByKey(selected);
  const userId = actingUserId();
  if (file === undefined || chat === undefined || userId === "") return;
  if (file.size > MAX_UPLOAD) {
    showError(`Not sent: ${file.name} is larger than 8 MiB`);
    return;
  }
  let data;
  try {
    data = await base64(file);
  } catch {
    showError(`Not sent: ${file.name} cannot be read`);
    return;
  }
  const uploaded = await command({ op: "upload", name: file.name, data });
  const fileId = isRecord(uploaded.data) ? String(uploaded.data.file_id ?? "") : "";
  if (!uploaded.ok || fileId === "") {
    showError(`Not uploaded: ${uploaded.message ?? "no file ID"}`);
    return;
  }
  fileNames.set(fileId, file.name);
  const type = file.type.startsWith("image/") ? "image" : "file";
  const reply = replyTo;
  setReply(null);
  await send(chat, userId, [{ type, data: { file_id: fileId } }], reply);
}

/**
 * A file's bytes in base64.
 *
 * @param {Blob} file
 * @returns {Promise<string>}
 */
function base64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(",") + 1));
    });
    reader.addEventListener("error", () => reject(reader.error));
    reader.readAsDataURL(file);
  });
}

/**
 * Recalls a message as its sender.
 *
 * @param {Message} message
 */
async function deleteMessage(message) {
  const result = await command({
    op: "delete",
    user_id: message.sender_id,
    message_id: message.message_id,
  });
  showError(result.ok ? "" : `Not deleted: ${result.message ?? "unknown error"}`);
}

/**
 * Has a user join or leave the selected group.
 *
 * @param {"join" | "leave"} op
 * @param {string} userId
 */
async function membership(op, userId) {
  const chat = chatByKey(selected);
  if (chat === undefined || chat.chat.detail_type !== "group" || userId === "") return;
  const result = await command({ op, user_id: userId, group_id: chat.chat.group_id });
  if (!result.ok) {
    showError(`Could not ${op}: ${result.message ?? "unknown error"}`);
    return;
  }
  showError("");
  if (op === "join") {
    actingByChat.set(chat.key, userId);
    const next = chatByKey(selected);
    if (next !== undefined) renderActing(next);
  }
}

// --- Frame log -----------------------------------------------------------------

/**
 * Takes new frames: drawn on the next animation frame, or kept while paused
 * (at most 2000).
 *
 * @param {LogFrame[]} frames
 */
function addFrames(frames) {
  if (frames.length === 0) return;
  if (paused) {
    pausedFrames.push(...frames);
    if (pausedFrames.length > MAX_FRAMES) pausedFrames = pausedFrames.slice(-MAX_FRAMES);
    renderPausedNote();
    return;
  }
  frameQueue.push(...frames);
  if (frameQueue.length > MAX_FRAMES) frameQueue = frameQueue.slice(-MAX_FRAMES);
  if (!flushScheduled) {
    flushScheduled = true;
    requestAnimationFrame(flushFrames);
  }
}

/** Draws the queued frames, dropping the oldest rows past 2000. */
function flushFrames() {
  flushScheduled = false;
  if (frameQueue.length === 0) return;
  const stick = isAtBottom(ui.frameLog);
  const filter = currentFilter();
  const fragment = document.createDocumentFragment();
  for (const frame of frameQueue) fragment.append(frameRow(frame, filter));
  frameQueue = [];
  ui.frameLog.append(fragment);
  let extra = ui.frameLog.childElementCount - MAX_FRAMES;
  while (extra-- > 0) ui.frameLog.firstElementChild?.remove();
  if (stick) scrollToBottom(ui.frameLog);
  renderFrameCount();
}

/** Removes every frame row and every waiting frame. */
function clearFrames() {
  frameQueue = [];
  pausedFrames = [];
  ui.frameLog.replaceChildren();
  renderPausedNote();
  renderFrameCount();
}

/**
 * One frame row: a `<details>` whose summary is time, direction, connection
 * and a one-line summary; the pretty JSON is made when first opened.
 *
 * @param {LogFrame} frame
 * @param {(frame: LogFrame) => boolean} filter
 * @returns {HTMLElement}
 */
function frameRow(frame, filter) {
  const row = /** @type {HTMLDetailsElement} */ (el("details", `frame dir-${frame.direction}`));
  frameOfRow.set(row, frame);
  row.hidden = !filter(frame);
  const summary = el("summary", "frame-summary");
  const time = el("time", "frame-time", clock(frame.time));
  summary.append(
    time,
    el("span", `frame-dir dir-${frame.direction}`, frame.direction === "in" ? "→ in" : "← out"),
    el("span", `frame-type type-${frame.type}`, frame.type),
    el("span", "frame-text", frameSummary(frame)),
    el("span", "frame-peer", `${connectionName(frame.connection)} ${frame.peer ?? ""}`),
  );
  if (frame.encoding === "msgpack") summary.append(el("span", "tag", "msgpack"));
  row.append(summary);
  row.addEventListener("toggle", () => {
    if (!row.open || row.childElementCount > 1) return;
    const meta = `#${frame.seq} · ${new Date(frame.time).toISOString()} · ${frame.encoding} · ` +
      `${frame.connection} ${frame.peer ?? ""}`;
    row.append(el("p", "frame-meta", meta), el("pre", "frame-json", pretty(frame.data)));
    row.scrollIntoView({ block: "nearest" });
  });
  return row;
}

/**
 * A one-line summary: the action, a response's status and retcode, or an
 * event's `type.detail_type[.sub_type]`.
 *
 * @param {LogFrame} frame
 * @returns {string}
 */
function frameSummary(frame) {
  const data = isRecord(frame.data) ? frame.data : {};
  const echo = data.echo === undefined ? "" : ` · echo ${short(JSON.stringify(data.echo), 24)}`;
  switch (frame.type) {
    case "action":
      return `${String(data.action ?? "?")}${echo}`;
    case "response": {
      const message = data.message ? ` · ${short(String(data.message), 60)}` : "";
      return `${String(data.status ?? "?")} · retcode ${
        String(data.retcode ?? "?")
      }${message}${echo}`;
    }
    case "event": {
      const parts = [data.type, data.detail_type, data.sub_type].filter((part) => part);
      return parts.map(String).join(".") || "?";
    }
    case "delivery":
      return deliverySummary(data);
    default:
      return "";
  }
}

/**
 * How a webhook post ended: the status of the reply (204 and 200 are
 * deliveries, anything else a refusal), or the error when none came.
 *
 * @param {Record<string, unknown>} data
 * @returns {string}
 */
function deliverySummary(data) {
  if (typeof data.status === "number") {
    const delivered = data.status === 204 || data.status === 200;
    return `${delivered ? "delivered" : "refused"} · HTTP ${data.status}`;
  }
  return `failed · ${short(String(data.error ?? "no reply"), 80)}`;
}

/**
 * Whether a frame is a heartbeat event.
 *
 * @param {LogFrame} frame
 */
function isHeartbeat(frame) {
  return frame.type === "event" && isRecord(frame.data) && frame.data.type === "meta" &&
    frame.data.detail_type === "heartbeat";
}

/**
 * The filter the controls describe.
 *
 * @returns {(frame: LogFrame) => boolean}
 */
function currentFilter() {
  const direction = ui.filterDirection.value;
  const type = ui.filterType.value;
  const connection = ui.filterConnection.value;
  const hideHeartbeats = ui.filterHeartbeats.checked;
  const words = ui.filterText.value.toLowerCase().split(/\s+/).filter((word) => word !== "");
  return (frame) =>
    (direction === "" || frame.direction === direction) &&
    (type === "" || frame.type === type) &&
    (connection === "" || frame.connection === connection) &&
    !(hideHeartbeats && isHeartbeat(frame)) &&
    (words.length === 0 || words.every((word) => searchText(frame).includes(word)));
}

/**
 * A frame's lower-cased text for the search box (made once).
 *
 * @param {LogFrame} frame
 * @returns {string}
 */
function searchText(frame) {
  let text = frameText.get(frame);
  if (text === undefined) {
    text = [
      frame.direction,
      frame.type,
      frame.connection,
      frame.peer,
      frame.encoding,
      frameSummary(frame),
      JSON.stringify(frame.data),
    ].join(" ").toLowerCase();
    frameText.set(frame, text);
  }
  return text;
}

/** Applies the filters to the rows already drawn. */
function applyFilters() {
  const filter = currentFilter();
  for (const row of ui.frameLog.children) {
    const frame = frameOfRow.get(row);
    if (frame !== undefined && row instanceof HTMLElement) row.hidden = !filter(frame);
  }
  renderFrameCount();
}

/** "N frames, M shown". */
function renderFrameCount() {
  const total = ui.frameLog.childElementCount;
  let shown = 0;
  for (const row of ui.frameLog.children) if (!(/** @type {HTMLElement} */ (row)).hidden) shown++;
  ui.frameCount.textContent = total === shown
    ? `${total} ${total === 1 ? "frame" : "frames"}`
    : `${shown} of ${total} shown`;
}

/** Pauses or resumes the log; resuming draws what was kept. */
function togglePause() {
  paused = !paused;
  ui.pause.setAttribute("aria-pressed", String(paused));
  if (!paused) {
    const kept = pausedFrames;
    pausedFrames = [];
    addFrames(kept);
  }
  renderPausedNote();
}

/** The "paused" line under the filters. */
function renderPausedNote() {
  ui.pausedNote.hidden = !paused;
  const count = pausedFrames.length;
  ui.pausedNote.textContent = `Paused: ${count} new ${count === 1 ? "frame" : "frames"} waiting` +
    (count >= MAX_FRAMES ? " (oldest dropped)" : "");
}

// --- Helpers -------------------------------------------------------------------

/** Outline icons (24×24, stroked). */
const ICONS = {
  group: "M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z" +
    "M23 21v-2a4 4 0 0 0-3-3.87M16 3.13a4 4 0 0 1 0 7.75",
  pin: "M21 10c0 7-9 13-9 13s-9-6-9-13a9 9 0 0 1 18 0zM12 13a3 3 0 1 0 0-6 3 3 0 0 0 0 6z",
  bot: "M12 8V4H8M6 8h12a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2z" +
    "M2 14h2M20 14h2M15 13v2M9 13v2",
};

/**
 * A decorative icon.
 *
 * @param {keyof typeof ICONS} name
 * @returns {SVGSVGElement}
 */
function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", `icon icon-${name}`);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name]);
  path.setAttribute("fill", "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "2");
  path.setAttribute("stroke-linecap", "round");
  path.setAttribute("stroke-linejoin", "round");
  svg.append(path);
  return svg;
}

/**
 * Makes an element with a class and children (strings become text).
 *
 * @param {string} tag
 * @param {string} [className]
 * @param {...(Node | string)} children
 * @returns {HTMLElement}
 */
function el(tag, className = "", ...children) {
  const node = document.createElement(tag);
  if (className !== "") node.className = className;
  node.append(...children);
  return node;
}

/**
 * A round avatar with the name's first letter, coloured by user ID.
 *
 * @param {string} userId
 * @param {string} name
 * @returns {HTMLElement}
 */
function avatar(userId, name) {
  const isBot = userId === state?.bot.user_id;
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const colour = isBot ? "avatar-bot" : `avatar-${hash % AVATAR_COLOURS}`;
  const node = el(
    "span",
    `avatar ${colour}`,
    isBot ? icon("bot") : [...name][0]?.toUpperCase() ?? "?",
  );
  node.setAttribute("aria-hidden", "true");
  return node;
}

/**
 * A user by ID (the bot included).
 *
 * @param {string} userId
 * @returns {User | undefined}
 */
function userById(userId) {
  if (state === null) return undefined;
  if (state.bot.user_id === userId) return state.bot;
  return state.users.find((user) => user.user_id === userId);
}

/**
 * A user's display name, else user name.
 *
 * @param {User} user
 */
function userName(user) {
  return user.user_displayname || user.user_name || user.user_id;
}

/**
 * The name of a user ID anywhere.
 *
 * @param {string} userId
 */
function displayName(userId) {
  const user = userById(userId);
  return user === undefined ? userId : userName(user);
}

/**
 * The name of a user in a chat: nickname there, else display name.
 *
 * @param {ChatInfo} chat
 * @param {string} userId
 */
function memberName(chat, userId) {
  return chat.nickname(userId) || displayName(userId);
}

/**
 * The name of a connection kind.
 *
 * @param {string} connection
 */
function connectionName(connection) {
  switch (connection) {
    case "http":
      return "HTTP";
    case "http_webhook":
      return "webhook";
    case "websocket":
      return "WS";
    case "websocket_reverse":
      return "reverse WS";
    default:
      return String(connection ?? "");
  }
}

/**
 * `HH:MM:SS.mmm` of a Unix time in milliseconds.
 *
 * @param {number} ms
 */
function clock(ms) {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return "--:--:--";
  const two = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.` +
    String(date.getMilliseconds()).padStart(3, "0");
}

/**
 * Pretty JSON, or a note when it cannot be shown.
 *
 * @param {unknown} value
 */
function pretty(value) {
  try {
    return JSON.stringify(value, null, 2) ?? "undefined";
  } catch {
    return "(cannot be shown)";
  }
}

/**
 * A string cut to a length.
 *
 * @param {string} text
 * @param {number} length
 */
function short(text, length) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/**
 * Whether a value is a plain object.
 *
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether a scrolled box is (nearly) at its bottom.
 *
 * @param {HTMLElement} box
 */
function isAtBottom(box) {
  return box.scrollHeight - box.scrollTop - box.clientHeight < 48;
}

/**
 * Scrolls a box to its bottom.
 *
 * @param {HTMLElement} box
 */
function scrollToBottom(box) {
  box.scrollTop = box.scrollHeight;
}

// --- Bot apps ------------------------------------------------------------------

/** An application linked over HTTP or a webhook counts as connected this long after its last action. */
const HTTP_LINK_MS = 60_000;

/** Whether a link still counts as a connected bot app. @param {Link} link */
function isLive(link) {
  const linked = link.connection === "websocket" || link.connection === "websocket_reverse";
  return linked || Date.now() - link.last < HTTP_LINK_MS;
}

/** Shows which bot apps are connected and, when none is, how to connect one. */
function renderBots() {
  const live = links.filter(isLive);
  const pageUp = ui.connection.dataset.state === "connected";
  // Not known while the page has no link to the demo.
  ui.bots.hidden = !pageUp;
  ui.bots.dataset.state = !pageUp ? "connecting" : live.length > 0 ? "connected" : "none";
  const text = !pageUp
    ? "bot apps: …"
    : live.length > 0
    ? `bot apps: ${live.length} connected`
    : "bot apps: none";
  // Unchanged text is not set again: a status region would announce it anew.
  if (ui.bots.textContent !== text) ui.bots.textContent = text;
  ui.bots.title = live.map((link) => `${connectionName(link.connection)} ${link.peer}`).join("\n");
  const wasHidden = ui.noBot.hidden;
  ui.noBot.hidden = !pageUp || live.length > 0;
  // The ways in only change with a hello: drawn when the notice shows.
  if (ui.noBot.hidden || !wasHidden) return;
  const host = location.host;
  const secure = location.protocol === "https:";
  /** @type {[string, string[], string][]} */
  const ways = [
    ["Forward WebSocket", [`${secure ? "wss" : "ws"}://${host}/`], ""],
    ["HTTP", [`${location.protocol}//${host}/`], "(POST)"],
    [
      "Reverse WebSocket",
      connectInfo.reverse,
      connectInfo.reverse.length > 0 ? "(the demo dials it)" : "off (ONEBOT_WS_REVERSE_URL)",
    ],
    [
      "Webhook",
      connectInfo.webhooks,
      connectInfo.webhooks.length > 0 ? "(events are posted there)" : "off (ONEBOT_WEBHOOK_URL)",
    ],
    [
      "Access token",
      [],
      connectInfo.token
        ? "required: the demo's ONEBOT_ACCESS_TOKEN (Authorization: Bearer …)"
        : "none (ONEBOT_ACCESS_TOKEN sets one)",
    ],
  ];
  const items = ways.map(([name, urls, note]) =>
    el(
      "div",
      "",
      el("dt", "", name),
      el(
        "dd",
        "",
        ...urls.flatMap((url) => [el("code", "", url), " "]),
        el("span", "muted-note", note),
      ),
    )
  );
  ui.noBotWays.replaceChildren(...items);
}

/**
 * Opens or closes the chat list (on a narrow screen it is collapsed behind its button).
 *
 * @param {boolean} open
 */
function setChatsOpen(open) {
  ui.chatsToggle.setAttribute("aria-expanded", String(open));
  ui.chats.dataset.open = String(open);
}

// --- Wiring --------------------------------------------------------------------

/** Connects the controls and opens the socket. */
function start() {
  ui.messages.addEventListener("keydown", onMessagesKey);
  ui.messages.addEventListener("focusin", (event) => {
    const item = event.target instanceof HTMLElement ? event.target.closest("article") : null;
    if (item instanceof HTMLElement) setActiveMessage(item);
  });
  ui.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    sendComposed();
  });
  ui.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendComposed();
    } else if (event.key === "Escape" && replyTo !== null) {
      event.preventDefault();
      setReply(null);
    }
  });
  ui.replyCancel.addEventListener("click", () => {
    setReply(null);
    ui.input.focus();
  });
  ui.attach.addEventListener("change", () => sendAttachment());
  ui.acting.addEventListener("change", () => {
    if (ui.acting.value !== "") actingByChat.set(selected, ui.acting.value);
    const chat = chatByKey(selected);
    if (chat !== undefined) {
      renderActing(chat);
      renderMessages(chat);
    }
  });
  ui.leave.addEventListener("click", () => membership("leave", actingUserId()));
  ui.join.addEventListener("click", () => membership("join", ui.joinUser.value));

  let searchTimer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  ui.filterText.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(applyFilters, 120);
  });
  for (const control of [ui.filterDirection, ui.filterType, ui.filterConnection]) {
    control.addEventListener("change", applyFilters);
  }
  ui.filterHeartbeats.addEventListener("change", applyFilters);
  ui.pause.addEventListener("click", togglePause);
  ui.clear.addEventListener("click", clearFrames);
  ui.chatsToggle.addEventListener("click", () => {
    setChatsOpen(ui.chatsToggle.getAttribute("aria-expanded") !== "true");
  });
  // An HTTP or webhook app counts as connected for a while after its last action.
  setInterval(renderBots, 10_000);
  renderFrameCount();
  connect();
}

start();
