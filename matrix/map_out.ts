/**
 * OneBot → Matrix: a `send_message` segment list as the `m.room.message`
 * contents to send, in order. Text, mentions, `mention_all` and the reply
 * gather into one `m.text` event (plain `body`, HTML `formatted_body` with
 * pills, `m.mentions`, `m.relates_to.m.in_reply_to`); each image, voice,
 * audio, video or file is an event of its own; a location an `m.location`.
 *
 * @module
 */

import type { Segment } from "@libob/libob";
import { parseMessageId } from "./map_in.ts";

/** What the mapping needs to know of the room and the files. */
export interface OutboundContext {
  /** The display name of a user in the room (for the pill's text), or `undefined`. */
  displayName(userId: string): string | undefined;
  /** The name, type and size of an uploaded file (`file_id` is its `mxc://` URI). */
  fileInfo(fileId: string): { name: string; mimetype?: string; size?: number } | undefined;
}

/** A segment the bridge cannot send, with the reason (answered as 10006). */
export interface OutboundProblem {
  problem: string;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/\n/g, "<br>");
}

const MSGTYPE = {
  image: "m.image",
  voice: "m.audio",
  audio: "m.audio",
  video: "m.video",
  file: "m.file",
} as const;

interface TextPart {
  body: string;
  html: string;
  users: string[];
  room: boolean;
}

/**
 * The Matrix contents of a OneBot message.
 *
 * @param message The segments (validated by libob, standard types only).
 * @param context Display names and file information.
 * @returns The contents in sending order, or the problem of a segment.
 */
export function messageToContents(
  message: readonly Segment[],
  context: OutboundContext,
): Record<string, unknown>[] | OutboundProblem {
  const contents: Record<string, unknown>[] = [];
  let replyTo: string | undefined;
  let part: TextPart = { body: "", html: "", users: [], room: false };
  const flush = (): void => {
    if (part.body === "") return;
    const content: Record<string, unknown> = {
      msgtype: "m.text",
      body: part.body,
      "m.mentions": { ...(part.users.length > 0 ? { user_ids: part.users } : {}) },
    };
    if (part.room) (content["m.mentions"] as Record<string, unknown>).room = true;
    if (part.html !== escapeHtml(part.body)) {
      content.format = "org.matrix.custom.html";
      content.formatted_body = part.html;
    }
    contents.push(content);
    part = { body: "", html: "", users: [], room: false };
  };
  for (const segment of message) {
    switch (segment.type) {
      case "text":
        part.body += segment.data.text;
        part.html += escapeHtml(segment.data.text);
        break;
      case "mention": {
        const user = segment.data.user_id;
        const name = context.displayName(user) || user;
        part.body += name;
        part.html += `<a href="https://matrix.to/#/${encodeURI(user)}">${escapeHtml(name)}</a>`;
        if (!part.users.includes(user)) part.users.push(user);
        break;
      }
      case "mention_all":
        part.body += "@room";
        part.html += "@room";
        part.room = true;
        break;
      case "reply": {
        const parsed = parseMessageId(segment.data.message_id);
        if (parsed === undefined) {
          return { problem: `reply.message_id is not a message of this bridge` };
        }
        replyTo = parsed.eventIds[0];
        if (segment.data.user_id !== undefined && !part.users.includes(segment.data.user_id)) {
          part.users.push(segment.data.user_id);
        }
        break;
      }
      case "image":
      case "voice":
      case "audio":
      case "video":
      case "file": {
        const fileId = segment.data.file_id;
        if (!/^mxc:\/\/[^/]+\/[A-Za-z0-9_-]+$/.test(fileId)) {
          return { problem: `${segment.type}.file_id must be an mxc:// URI from upload_file` };
        }
        flush();
        const info = context.fileInfo(fileId);
        const content: Record<string, unknown> = {
          msgtype: MSGTYPE[segment.type],
          body: info?.name || segment.type,
          url: fileId,
        };
        const meta: Record<string, unknown> = {};
        if (info?.mimetype !== undefined) meta.mimetype = info.mimetype;
        if (info?.size !== undefined) meta.size = info.size;
        if (Object.keys(meta).length > 0) content.info = meta;
        if (segment.type === "voice") content["org.matrix.msc3245.voice"] = {};
        contents.push(content);
        break;
      }
      case "location": {
        flush();
        const { latitude, longitude, title, content: text } = segment.data;
        contents.push({
          msgtype: "m.location",
          body: title || text || `${latitude},${longitude}`,
          geo_uri: `geo:${latitude},${longitude}`,
        });
        break;
      }
      default:
        return { problem: `segment type ${segment.type} is not supported` };
    }
  }
  flush();
  if (contents.length === 0) return { problem: "the message has nothing to send" };
  if (replyTo !== undefined) {
    contents[0]!["m.relates_to"] = { "m.in_reply_to": { event_id: replyTo } };
  }
  return contents;
}
