import { expect } from "expect";
import { createEvent, eventProblem } from "../../event/create.ts";
import { image, type Segment, text } from "../../event/segment.ts";
import {
  channelCreateEvent,
  channelDeleteEvent,
  channelMemberDecreaseEvent,
  channelMemberIncreaseEvent,
  channelMessageDeleteEvent,
  channelMessageEvent,
  friendDecreaseEvent,
  friendIncreaseEvent,
  groupMemberDecreaseEvent,
  groupMemberIncreaseEvent,
  groupMessageDeleteEvent,
  groupMessageEvent,
  guildMemberDecreaseEvent,
  guildMemberIncreaseEvent,
  privateMessageDeleteEvent,
  privateMessageEvent,
  type StandardEvent,
} from "../../event/standard.ts";
import type { Event, EventType } from "../../event/types.ts";

const self = { platform: "qq", user_id: "1" };

// deno-lint-ignore no-explicit-any
type Builder = (init: any) => StandardEvent;

interface BuilderCase {
  build: Builder;
  type: "message" | "notice";
  detailType: string;
  /** Every standard string field of the detail type (§5). */
  fields: readonly string[];
  /** The sub types allowed besides `""` and extensions. */
  subTypes: readonly string[];
}

function ids(fields: string): string[] {
  return fields.split(" ");
}

const BUILDERS: readonly BuilderCase[] = [
  {
    build: privateMessageEvent,
    type: "message",
    detailType: "private",
    fields: ids("message_id user_id"),
    subTypes: [],
  },
  {
    build: groupMessageEvent,
    type: "message",
    detailType: "group",
    fields: ids("message_id group_id user_id"),
    subTypes: [],
  },
  {
    build: channelMessageEvent,
    type: "message",
    detailType: "channel",
    fields: ids("message_id guild_id channel_id user_id"),
    subTypes: [],
  },
  {
    build: friendIncreaseEvent,
    type: "notice",
    detailType: "friend_increase",
    fields: ["user_id"],
    subTypes: [],
  },
  {
    build: friendDecreaseEvent,
    type: "notice",
    detailType: "friend_decrease",
    fields: ["user_id"],
    subTypes: [],
  },
  {
    build: privateMessageDeleteEvent,
    type: "notice",
    detailType: "private_message_delete",
    fields: ids("message_id user_id"),
    subTypes: [],
  },
  {
    build: groupMemberIncreaseEvent,
    type: "notice",
    detailType: "group_member_increase",
    fields: ids("group_id user_id operator_id"),
    subTypes: ["join", "invite"],
  },
  {
    build: groupMemberDecreaseEvent,
    type: "notice",
    detailType: "group_member_decrease",
    fields: ids("group_id user_id operator_id"),
    subTypes: ["leave", "kick"],
  },
  {
    build: groupMessageDeleteEvent,
    type: "notice",
    detailType: "group_message_delete",
    fields: ids("group_id message_id user_id operator_id"),
    subTypes: ["recall", "delete"],
  },
  {
    build: guildMemberIncreaseEvent,
    type: "notice",
    detailType: "guild_member_increase",
    fields: ids("guild_id user_id operator_id"),
    subTypes: ["join", "invite"],
  },
  {
    build: guildMemberDecreaseEvent,
    type: "notice",
    detailType: "guild_member_decrease",
    fields: ids("guild_id user_id operator_id"),
    subTypes: ["leave", "kick"],
  },
  {
    build: channelMemberIncreaseEvent,
    type: "notice",
    detailType: "channel_member_increase",
    fields: ids("guild_id channel_id user_id operator_id"),
    subTypes: ["join", "invite"],
  },
  {
    build: channelMemberDecreaseEvent,
    type: "notice",
    detailType: "channel_member_decrease",
    fields: ids("guild_id channel_id user_id operator_id"),
    subTypes: ["leave", "kick"],
  },
  {
    build: channelMessageDeleteEvent,
    type: "notice",
    detailType: "channel_message_delete",
    fields: ids("guild_id channel_id message_id user_id operator_id"),
    subTypes: ["recall", "delete"],
  },
  {
    build: channelCreateEvent,
    type: "notice",
    detailType: "channel_create",
    fields: ids("guild_id channel_id operator_id"),
    subTypes: [],
  },
  {
    build: channelDeleteEvent,
    type: "notice",
    detailType: "channel_delete",
    fields: ids("guild_id channel_id operator_id"),
    subTypes: [],
  },
];

const ALL_SUB_TYPES = ["join", "invite", "leave", "kick", "recall", "delete", "approve"];

/** A full init for a builder: every field given a distinct value. */
function fullInit(c: BuilderCase): Record<string, unknown> {
  const init: Record<string, unknown> = { self };
  for (const field of c.fields) init[field] = `${field}-value`;
  if (c.type === "message") init.message = "hi";
  return init;
}

function expectBaseFields(event: Event, c: BuilderCase): void {
  expect(eventProblem(event)).toBe(undefined);
  expect(typeof event.id).toBe("string");
  expect(typeof event.time).toBe("number");
  expect(event.type).toBe(c.type satisfies EventType);
  expect(event.detail_type).toBe(c.detailType);
  expect(typeof event.sub_type).toBe("string");
  expect(event.self).toEqual(self);
}

for (const c of BUILDERS) {
  const name = c.build.name;

  Deno.test(`${name}() carries every standard field of ${c.type}.${c.detailType} (EVT-00, §5)`, () => {
    const event = c.build(fullInit(c));
    expectBaseFields(event, c);
    for (const field of c.fields) expect(event[field]).toBe(`${field}-value`);
    if (c.type === "message") {
      expect(event.message).toEqual([{ type: "text", data: { text: "hi" } }]);
      expect(event.alt_message).toBe("hi");
    }
    expect(event.sub_type).toBe("");
  });

  Deno.test(`${name}() fills missing fields with "" (EVT-00, §9.3 item 35)`, () => {
    const event = c.build({ self });
    expectBaseFields(event, c);
    for (const field of c.fields) expect(event[field]).toBe("");
    if (c.type === "message") {
      expect(event.message).toEqual([]);
      expect(event.alt_message).toBe("");
    }
  });

  Deno.test(`${name}() throws TypeError for a mistyped field (EV-01)`, () => {
    for (const field of c.fields) {
      expect(() => c.build({ ...fullInit(c), [field]: 42 })).toThrow(TypeError);
    }
    expect(() => c.build({ ...fullInit(c), self: undefined })).toThrow(TypeError);
  });

  Deno.test(`${name}() allows only its sub_type set, "" and prefixed extensions (§5.2, EXT-11, §9.3 item 36)`, () => {
    for (const subType of ["", ...c.subTypes, "qq.unidirectional"]) {
      expect(c.build({ ...fullInit(c), sub_type: subType }).sub_type).toBe(subType);
    }
    for (const subType of ALL_SUB_TYPES.filter((s) => !c.subTypes.includes(s))) {
      expect(() => c.build({ ...fullInit(c), sub_type: subType })).toThrow(TypeError);
    }
    expect(() => c.build({ ...fullInit(c), sub_type: "QQ.x" })).toThrow(TypeError);
    expect(() => c.build({ ...fullInit(c), sub_type: 1 })).toThrow(TypeError);
  });

  Deno.test(`${name}() keeps id, time and extension fields (EXT-10)`, () => {
    const event = c.build({ ...fullInit(c), id: "e1", time: 1632847927.599013, "qq.extra": 1 });
    expect(event.id).toBe("e1");
    expect(event.time).toBe(1632847927.599013);
    expect(event["qq.extra"]).toBe(1);
  });
}

Deno.test("privateMessageEvent() normalises the message to a list and derives alt_message (MSG-01, MSG-04)", () => {
  const segment: Segment<"text"> = { type: "text", data: { text: "hi" } };
  for (const message of ["hi", segment, [segment]]) {
    const event = privateMessageEvent({ self, message_id: "m", user_id: "2", message });
    expect(event.message).toEqual([segment]);
    expect(event.alt_message).toBe("hi");
  }
  const mixed = groupMessageEvent({
    self,
    message_id: "m",
    user_id: "2",
    group_id: "g",
    message: [text("look "), image("f")],
  });
  expect(mixed.alt_message).toBe("look [image]");
  const given = channelMessageEvent({
    self,
    message_id: "m",
    user_id: "2",
    guild_id: "1",
    channel_id: "c",
    message: [image("f")],
    alt_message: "[图片]",
  });
  expect(given.alt_message).toBe("[图片]");
});

Deno.test("privateMessageEvent() throws TypeError for a malformed segment (MSG-03, EV-01)", () => {
  const base = { self, message_id: "m", user_id: "2" };
  expect(() => privateMessageEvent({ ...base, message: [{ type: "text" }] as never })).toThrow(
    TypeError,
  );
  expect(() => privateMessageEvent({ ...base, message: [42] as never })).toThrow(TypeError);
  expect(() => privateMessageEvent({ ...base, message: "hi", alt_message: 1 as never })).toThrow(
    TypeError,
  );
});

Deno.test('notice builders set operator_id to "" when none is given (§5.2, §9.3 item 35)', () => {
  const event = groupMemberIncreaseEvent({ self, group_id: "g", user_id: "2", sub_type: "join" });
  expect(event.operator_id).toBe("");
  expect(Object.hasOwn(event, "operator_id")).toBe(true);
  expect(JSON.parse(JSON.stringify(event)).operator_id).toBe("");
});

Deno.test("standard events never carry self_id, platform or impl (§2.1, §9.3 item 29)", () => {
  for (const c of BUILDERS) {
    const event = c.build(fullInit(c));
    for (const field of ["self_id", "platform", "impl"]) {
      expect(Object.hasOwn(event, field)).toBe(false);
    }
  }
});

Deno.test("sub_type sets are enforced by type too (§9.3 item 36)", () => {
  expect(() =>
    groupMemberIncreaseEvent({
      self,
      group_id: "g",
      user_id: "2",
      // @ts-expect-error: "approve" is not a member-increase sub_type
      sub_type: "approve",
    })
  ).toThrow(TypeError);
  expect(() =>
    // @ts-expect-error: "kick" is not a member-increase sub_type
    guildMemberIncreaseEvent({ self, guild_id: "1", user_id: "2", sub_type: "kick" })
  ).toThrow(TypeError);
  expect(() =>
    groupMessageDeleteEvent({
      self,
      group_id: "g",
      message_id: "m",
      user_id: "2",
      // @ts-expect-error: "leave" is not a message-delete sub_type
      sub_type: "leave",
    })
  ).toThrow(TypeError);
  expect(() =>
    // @ts-expect-error: channel_create lists no sub_type
    channelCreateEvent({ self, guild_id: "1", channel_id: "c", sub_type: "join" })
  ).toThrow(TypeError);
  const extended = friendIncreaseEvent({ self, user_id: "2", sub_type: "qq.unidirectional" });
  expect(extended.sub_type).toBe("qq.unidirectional");
});

Deno.test("createEvent() rejects an extended event type (EXT-12)", () => {
  expect(() => createEvent({ type: "qq.custom" as EventType, detail_type: "x", self })).toThrow(
    TypeError,
  );
  expect(() =>
    createEvent({ type: "request" as EventType, detail_type: "qq.friend_request", self })
  )
    .not.toThrow();
});
