import { expect } from "expect";
import { createDemoPlatform, type DemoChange } from "../../demo/platform.ts";

function summary(change: DemoChange): string {
  switch (change.type) {
    case "message_added":
    case "message_removed":
      return `${change.type} ${change.message.message_id}`;
    case "renamed":
      return `renamed ${change.target} ${change.id} ${change.name}`;
    default:
      return `${change.type} ${change.target} ${change.id} ${change.user_id}`;
  }
}

Deno.test("createDemoPlatform() reports every change to its subscribers, in order", () => {
  const platform = createDemoPlatform();
  const seen: string[] = [];
  const subscription = platform.subscribe((change) => seen.push(summary(change)));
  // A throwing subscriber does not hide changes from the others.
  using _broken = platform.subscribe(() => {
    throw new Error("gone");
  });
  const group = { detail_type: "group", group_id: "20001" } as const;
  const sent = platform.addMessage({ sender_id: "10001", chat: group, message: [] });
  platform.removeMessage(sent.message_id);
  expect(platform.removeMessage(sent.message_id)).toBeUndefined(); // no change, no report
  platform.renameGroup("20001", "renamed");
  platform.renameGuild("30001", "guild 2");
  platform.renameChannel("30001", "40001", "lobby");
  expect(platform.renameGroup("99", "x")).toBe(false);
  expect(platform.joinGroup("20001", "10003")).toBe(true);
  expect(platform.joinGroup("20001", "10003")).toBe(false);
  expect(platform.joinGroup("20001", "99999")).toBe(false);
  platform.leaveGroup("20001", "10003");
  platform.leaveChannel("30001", "40002", "10001");
  platform.leaveGuild("30001", "10003");
  expect(platform.leaveGuild("30001", "10003")).toBe(false);
  subscription[Symbol.dispose]();
  platform.renameGroup("20001", "unseen");
  expect(seen).toEqual([
    "message_added 1",
    "message_removed 1",
    "renamed group 20001 renamed",
    "renamed guild 30001 guild 2",
    "renamed channel 40001 lobby",
    "member_joined group 20001 10003",
    "member_left group 20001 10003",
    "member_left channel 40002 10001",
    "member_left guild 30001 10003",
  ]);
  expect(platform.group("20001")?.group_name).toBe("unseen");
  expect(platform.guild("30001")?.channels.get("40001")?.members.has("10003")).toBe(false);
});
