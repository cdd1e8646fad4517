// Rule tests for connection/codec.ts: JSON and MessagePack (HTTP-05..08, ENC-01, ENC-02).
import { expect } from "expect";
import fc from "fast-check";
import {
  decode,
  decodeJson,
  decodeMsgpack,
  encodeJson,
  encodeMsgpack,
  encodeResponse,
  encodingOf,
  MEDIA_TYPE,
} from "../../connection/codec.ts";

Deno.test("MEDIA_TYPE names application/json and application/msgpack (HTTP-05, HTTP-06)", () => {
  expect(MEDIA_TYPE).toEqual({ json: "application/json", msgpack: "application/msgpack" });
});

Deno.test("encodingOf() reads application/json and application/msgpack (HTTP-05, HTTP-06)", () => {
  expect(encodingOf("application/json")).toBe("json");
  expect(encodingOf("application/msgpack")).toBe("msgpack");
});

Deno.test("encodingOf() ignores case, white space and parameters (§1.1 decision: be tolerant)", () => {
  for (
    const type of [
      "application/json; charset=utf-8",
      "Application/JSON",
      "APPLICATION/JSON;CHARSET=UTF-8",
      "  application/json  ",
      "application/json ; x=y",
      "application/json;",
    ]
  ) {
    expect(encodingOf(type)).toBe("json");
  }
  expect(encodingOf("Application/MsgPack; q=1")).toBe("msgpack");
});

Deno.test("encodingOf() refuses every other media type and a missing one (HTTP-07)", () => {
  for (
    const type of [
      null,
      "",
      "text/plain",
      "application/x-msgpack",
      "application/jsonx",
      "application/json-patch+json",
      "json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/ json",
    ]
  ) {
    expect(encodingOf(type)).toBe(undefined);
  }
});

Deno.test("encodeJson() writes bytes as a Base64 string (ENC-01)", () => {
  expect(encodeJson({ data: new Uint8Array([1, 2, 3]) })).toBe('{"data":"AQID"}');
  expect(encodeJson({ a: [{ b: new Uint8Array([255]) }] })).toBe('{"a":[{"b":"/w=="}]}');
  expect(encodeJson({ data: new Uint8Array() })).toBe('{"data":""}');
});

Deno.test("encodeMsgpack() writes bytes as a bin value that decodes back to bytes (ENC-01)", () => {
  const bytes = new Uint8Array([1, 2, 3]);
  const encoded = encodeMsgpack({ d: bytes });
  // fixmap(1), fixstr "d", bin8 of length 3, then the bytes.
  expect([...encoded]).toEqual([0x81, 0xa1, 0x64, 0xc4, 0x03, 1, 2, 3]);
  const decoded = decodeMsgpack(encoded) as { d: Uint8Array };
  expect(decoded.d).toBeInstanceOf(Uint8Array);
  expect([...decoded.d]).toEqual([1, 2, 3]);
});

Deno.test("encodeMsgpack() leaves out undefined fields, as JSON does", () => {
  expect(decodeMsgpack(encodeMsgpack({ a: 1, b: undefined }))).toEqual({ a: 1 });
});

Deno.test("decodeJson() reads UTF-8 bytes and strings; invalid UTF-8 or JSON throws (ENC-02)", () => {
  expect(decodeJson(new TextEncoder().encode('{"t":"中文"}'))).toEqual({ t: "中文" });
  expect(decodeJson('{"a":1}')).toEqual({ a: 1 });
  expect(() => decodeJson(new Uint8Array([0x22, 0xff, 0x22]))).toThrow();
  expect(() => decodeJson("{bad")).toThrow();
  expect(() => decodeJson("")).toThrow();
});

Deno.test("decodeJson() keeps a U+FFFD the peer wrote and a leading BOM's removal (ENC-02)", () => {
  expect(decodeJson(new TextEncoder().encode('"a\uFFFDb"'))).toBe("a\uFFFDb");
  expect(decodeJson(new Uint8Array([0xef, 0xbb, 0xbf, 0x31]))).toBe(1);
  // Invalid bytes next to a written U+FFFD still throw.
  expect(() => decodeJson(new Uint8Array([0x22, 0xef, 0xbf, 0xbd, 0xc3, 0x22]))).toThrow();
});

Deno.test("decodeJson() accepts exactly what a fatal UTF-8 decoder and JSON.parse accept (ENC-02)", () => {
  const fatal = new TextDecoder("utf-8", { fatal: true });
  const outcome = (run: () => unknown) => {
    try {
      return { value: run() };
    } catch {
      return "throws";
    }
  };
  // JSON strings around arbitrary bytes: valid and invalid UTF-8, U+FFFD written as bytes.
  const inner = fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(0xef, 0xbf, 0xbd, 0xc3, 0xe4, 0xb8, 0xad, 0xf0, 0x9f, 0x98, 0x80),
    ),
    { maxLength: 24 },
  );
  fc.assert(
    fc.property(inner, (bytes) => {
      const input = new Uint8Array([0x22, ...bytes, 0x22]);
      expect(outcome(() => decodeJson(input))).toEqual(
        outcome(() => JSON.parse(fatal.decode(input))),
      );
    }),
    { numRuns: 2000 },
  );
});

Deno.test("decodeMsgpack() throws on malformed input and keeps working afterwards", () => {
  expect(() => decodeMsgpack(new Uint8Array([0xc1]))).toThrow();
  expect(() => decodeMsgpack(new Uint8Array([0x82, 0xa1]))).toThrow(); // truncated
  expect(() => decodeMsgpack(new Uint8Array())).toThrow();
  expect(decodeMsgpack(encodeMsgpack({ ok: true }))).toEqual({ ok: true });
});

Deno.test("decode() dispatches on the encoding", () => {
  expect(decode('{"a":1}', "json")).toEqual({ a: 1 });
  expect(decode(encodeMsgpack([1]), "msgpack")).toEqual([1]);
});

Deno.test("encodeResponse() encodes a response in the request's encoding (HTTP-08)", () => {
  const response = { status: "ok" as const, retcode: 0, data: null, message: "", echo: "e" };
  expect(JSON.parse(encodeResponse(response, "json") as string)).toEqual(response);
  expect(decodeMsgpack(encodeResponse(response, "msgpack") as Uint8Array)).toEqual(response);
});

Deno.test("encodeResponse() answers 20001 with the same echo when data cannot be encoded (RESP-03)", () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  for (const data of [{ n: 1n }, cyclic]) {
    const response = { status: "ok" as const, retcode: 0, data, message: "", echo: "e" };
    expect(JSON.parse(encodeResponse(response, "json") as string)).toEqual({
      status: "failed",
      retcode: 20001,
      data: null,
      message: "the handler returned data that cannot be encoded",
      echo: "e",
    });
  }
  const bigint = { status: "ok" as const, retcode: 0, data: { n: 1n }, message: "" };
  const packed = decodeMsgpack(encodeResponse(bigint, "msgpack") as Uint8Array);
  expect(packed).toEqual({
    status: "failed",
    retcode: 20001,
    data: null,
    message: "the handler returned data that cannot be encoded",
  });
});
