import { expect } from "expect";
import { extensionKey, isExtensionName, PREFIX_REGEXP } from "../../event/extension.ts";

Deno.test("PREFIX_REGEXP allows lowercase letters and underscores only (EXT-01, EXT-03)", () => {
  for (const prefix of ["qq", "dc", "go_cqhttp", "_", "a_b_"]) {
    expect(PREFIX_REGEXP.test(prefix)).toBe(true);
  }
  for (const prefix of ["", "QQ", "go-cqhttp", "qq2", "q.q", "qq "]) {
    expect(PREFIX_REGEXP.test(prefix)).toBe(false);
  }
});

Deno.test("isExtensionName() accepts <prefix>.<rest> only (EXT-01)", () => {
  for (const name of ["qq.face", "qq.anonymous", "qq.discuss_id", "dc.url", "go_cqhttp.x.y"]) {
    expect(isExtensionName(name)).toBe(true);
  }
  for (
    const name of ["qq_face", "face", ".face", "qq.", "QQ.face", "go-cqhttp.x", "2q.x", 1, null]
  ) {
    expect(isExtensionName(name)).toBe(false);
  }
});

Deno.test("extensionKey() joins a prefix and a name, and throws TypeError on a bad prefix (EXT-01)", () => {
  expect(extensionKey("qq", "anonymous")).toBe("qq.anonymous");
  expect(extensionKey("go_cqhttp", "get_group_honor_info")).toBe("go_cqhttp.get_group_honor_info");
  expect(() => extensionKey("go-cqhttp", "x")).toThrow(TypeError);
  expect(() => extensionKey("QQ", "x")).toThrow(TypeError);
  expect(() => extensionKey("", "x")).toThrow(TypeError);
  expect(() => extensionKey("qq", "")).toThrow(TypeError);
  const key: "qq.face" = extensionKey("qq", "face");
  expect(key).toBe("qq.face");
});
