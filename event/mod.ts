/**
 * The event layer: event and identity types, event creation, meta events,
 * messages and segments, and the unread-event buffer.
 *
 * @module
 */

export { createEventBuffer, type EventBuffer, type EventBufferOptions } from "./buffer.ts";
export { createEvent, type EventInit, eventProblem } from "./create.ts";
export { connectEvent, heartbeatEvent, statusUpdateEvent } from "./meta.ts";
export {
  altMessage,
  type AnySegment,
  type Message,
  type MessageInput,
  type Segment,
  type StandardSegmentData,
  toMessage,
} from "./segment.ts";
export type { BotSelf, BotStatus, Event, EventType, StatusData, VersionData } from "./types.ts";
