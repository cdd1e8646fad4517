/**
 * Matrix → OneBot: `m.room.message` contents as standard segments, and the
 * message IDs of the bridge (`<room id>/<event id>[,<event id>…]`).
 *
 * @module
 */

import type { Message, Segment } from "@libob/libob";

/**
 * The OneBot `message_id` of Matrix events of one room: the room ID, `/`,
 * then the event IDs joined by `,` (a message with media is sent as several
 * events). Room IDs contain no `/`, event IDs no `,`.
 */
export function messageId(roomId: string, eventIds: readonly string[]): string {
  return `${roomId}/${eventIds.join(",")}`;
}

/** The room and events of a bridge `message_id`, or `undefined` when it is not one. */
export function parseMessageId(id: string): { roomId: string; eventIds: string[] } | undefined {
  const slash = id.indexOf("/");
  if (slash <= 0 || !id.startsWith("!")) return undefined;
  const eventIds = id.slice(slash + 1).split(",");
  if (eventIds.some((event) => !event.startsWith("$") || event.length < 2)) return undefined;
  return { roomId: id.slice(0, slash), eventIds };
}

const MATRIX_TO = /^https:\/\/matrix\.to\/#\/([^/?"]+)/;

/** The user of a `https://matrix.to/#/@user:server` link (its fragment may be percent-encoded). */
function pillUser(href: string): string | undefined {
  const fragment = MATRIX_TO.exec(href)?.[1];
  if (fragment === undefined) return undefined;
  let user: string;
  try {
    user = decodeURIComponent(fragment);
  } catch {
    return undefined;
  }
  return /^@[^:]+:.+$/.test(user) ? user : undefined;
}
const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith("#x")) return codePoint(parseInt(name.slice(2), 16), whole);
    if (name.startsWith("#")) return codePoint(parseInt(name.slice(1), 10), whole);
    return ENTITIES[name] ?? whole;
  });
}

function codePoint(value: number, fallback: string): string {
  return value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : fallback;
}

/** Appends text to a segment list, merging with a text segment before it. */
function pushText(segments: Segment[], text: string): void {
  if (text === "") return;
  const last = segments.at(-1);
  if (last?.type === "text") {
    segments[segments.length - 1] = { type: "text", data: { text: last.data.text + text } };
  } else {
    segments.push({ type: "text", data: { text } });
  }
}

/**
 * The segments of an HTML `formatted_body`: pills (`<a href="https://matrix.to/#/@user">`)
 * become mentions, line breaks and paragraphs new lines, the reply fallback
 * (`<mx-reply>`) is dropped, every other tag is dropped and its text kept.
 */
export function htmlSegments(html: string): Segment[] {
  const segments: Segment[] = [];
  const withoutReply = html.replace(/<mx-reply>[\s\S]*?<\/mx-reply>/gi, "");
  const token = /<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>|<br\s*\/?>|<\/p>|<[^>]*>|[^<]+/gi;
  for (const match of withoutReply.matchAll(token)) {
    const [whole, href, inner] = match;
    if (href !== undefined) {
      const user = pillUser(decodeEntities(href));
      if (user !== undefined) {
        segments.push({ type: "mention", data: { user_id: user } });
      } else pushText(segments, decodeEntities((inner ?? "").replace(/<[^>]*>/g, "")));
    } else if (/^<br/i.test(whole) || /^<\/p>/i.test(whole)) {
      pushText(segments, "\n");
    } else if (!whole.startsWith("<")) {
      pushText(segments, decodeEntities(whole));
    }
  }
  const last = segments.at(-1);
  if (last?.type === "text" && last.data.text.endsWith("\n")) {
    const trimmed = last.data.text.replace(/\n+$/, "");
    if (trimmed === "") segments.pop();
    else segments[segments.length - 1] = { type: "text", data: { text: trimmed } };
  }
  return segments;
}

/** A plain `body` without its reply fallback (leading `> ` lines and the blank line after). */
export function stripReplyFallback(body: string): string {
  const lines = body.split("\n");
  let index = 0;
  while (index < lines.length && lines[index]!.startsWith("> ")) index++;
  if (index === 0) return body;
  if (lines[index] === "") index++;
  return lines.slice(index).join("\n");
}

/** The event ID an `m.room.message` content replies to (`m.relates_to.m.in_reply_to`). */
export function replyTarget(content: Record<string, unknown>): string | undefined {
  const relates = content["m.relates_to"] as Record<string, unknown> | undefined;
  const target = (relates?.["m.in_reply_to"] as Record<string, unknown> | undefined)?.event_id;
  return typeof target === "string" ? target : undefined;
}

const MEDIA: Record<string, "image" | "file" | "audio" | "video"> = {
  "m.image": "image",
  "m.file": "file",
  "m.audio": "audio",
  "m.video": "video",
};

/**
 * The OneBot message of an `m.room.message` content, or `undefined` for one
 * the bridge does not map (encrypted media, unknown `msgtype`, redacted).
 *
 * @param roomId The room, for the message IDs of replies.
 * @param content The event's content.
 * @param replySender The sender of the event replied to ({@linkcode replyTarget}), when known:
 * the reply segment's `user_id`; the mention of them a reply carries is folded into it.
 * @returns The segments.
 */
export function contentToMessage(
  roomId: string,
  content: Record<string, unknown>,
  replySender?: string,
): Message | undefined {
  const segments: Segment[] = [];
  const replyTo = replyTarget(content);
  const isReply = replyTo !== undefined;
  if (isReply) {
    const message_id = messageId(roomId, [replyTo]);
    segments.push({
      type: "reply",
      data: replySender === undefined ? { message_id } : { message_id, user_id: replySender },
    });
  }
  const msgtype = content.msgtype;
  const body = typeof content.body === "string" ? content.body : undefined;
  const media = typeof msgtype === "string" ? MEDIA[msgtype] : undefined;
  if (media !== undefined) {
    if (typeof content.url !== "string" || !content.url.startsWith("mxc://")) return undefined;
    const voice = media === "audio" && "org.matrix.msc3245.voice" in content;
    segments.push({ type: voice ? "voice" : media, data: { file_id: content.url } } as Segment);
    return segments;
  }
  if (msgtype === "m.location") {
    const geo = /^geo:(-?[0-9.]+),(-?[0-9.]+)/.exec(String(content.geo_uri ?? ""));
    if (geo === null) return undefined;
    segments.push({
      type: "location",
      data: {
        latitude: Number(geo[1]),
        longitude: Number(geo[2]),
        title: body ?? "",
        content: body ?? "",
      },
    });
    return segments;
  }
  if (msgtype !== "m.text" && msgtype !== "m.notice" && msgtype !== "m.emote") return undefined;
  if (body === undefined) return undefined;
  const html = content.format === "org.matrix.custom.html" &&
    typeof content.formatted_body === "string";
  const formatted = html
    ? htmlSegments(content.formatted_body as string)
    : [{ type: "text", data: { text: isReply ? stripReplyFallback(body) : body } } as Segment];
  const mentions = content["m.mentions"] as Record<string, unknown> | undefined;
  if (mentions?.room === true) segments.push({ type: "mention_all", data: {} });
  const pills = new Set(
    formatted.flatMap((segment) => segment.type === "mention" ? [segment.data.user_id] : []),
  );
  // With HTML, the pills are where the mentions are (a reply's m.mentions also names the
  // replied-to sender, which the reply segment already says); without, m.mentions leads.
  const userIds = !html && Array.isArray(mentions?.user_ids) ? mentions.user_ids : [];
  for (const user of userIds) {
    if (typeof user === "string" && !pills.has(user) && user !== replySender) {
      segments.push({ type: "mention", data: { user_id: user } });
    }
  }
  for (const segment of formatted) {
    if (segment.type === "text") pushText(segments, segment.data.text);
    else segments.push(segment);
  }
  return segments;
}
