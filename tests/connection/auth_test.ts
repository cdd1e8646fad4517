// Rule tests for connection/auth.ts: the access-token check of HTTP-02..04 (also used by WS-02).
// The HTTP status codes are tested in tests/connection/http_test.ts.
import { expect } from "expect";
import { checkAccessToken, isAuthorized, timingSafeEqual } from "../../connection/auth.ts";

function request(path: string, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost${path}`, { headers });
}

Deno.test("isAuthorized() accepts everything when no token is configured (HTTP-02)", () => {
  expect(isAuthorized(request("/"), undefined)).toBe(true);
  expect(isAuthorized(request("/", { Authorization: "Bearer whatever" }), undefined)).toBe(true);
});

Deno.test('isAuthorized() accepts everything when the token is "" (HTTP-02)', () => {
  expect(isAuthorized(request("/"), "")).toBe(true);
  expect(isAuthorized(request("/?access_token=x", { Authorization: "Token x" }), "")).toBe(true);
});

const matrix: [string, string, Record<string, string>, boolean][] = [
  ["Authorization: Bearer t", "/", { Authorization: "Bearer t" }, true],
  ["lowercase bearer", "/", { Authorization: "bearer t" }, false],
  ["BEARER in capitals", "/", { Authorization: "BEARER t" }, false],
  ["two spaces after Bearer", "/", { Authorization: "Bearer  t" }, false],
  ["the Token scheme", "/", { Authorization: "Token t" }, false],
  ["the bare token", "/", { Authorization: "t" }, false],
  ["Bearer without a token", "/", { Authorization: "Bearer" }, false],
  ["a longer token with the same prefix", "/", { Authorization: "Bearer tt" }, false],
  ["a prefix of the token", "/", { Authorization: "Bearer " }, false],
  ["a wrong header and the right query (no fallback)", "/?access_token=t", {
    Authorization: "Bearer x",
  }, false],
  ["an empty header and the right query (no fallback)", "/?access_token=t", {
    Authorization: "",
  }, false],
  ["the query only", "/?access_token=t", {}, true],
  ["the query among other parameters", "/?a=1&access_token=t&b=2", {}, true],
  ["a wrong query", "/?access_token=x", {}, false],
  ["an empty query value", "/?access_token=", {}, false],
  ["the token in the fragment only", "/#access_token=t", {}, false],
  ["neither header nor query", "/", {}, false],
];
for (const [name, path, headers, expected] of matrix) {
  Deno.test(`isAuthorized() with ${name} → ${expected} (HTTP-03)`, () => {
    expect(isAuthorized(request(path, headers), "t")).toBe(expected);
  });
}

Deno.test("isAuthorized() compares a query token after URL decoding (HTTP-03)", () => {
  const token = "a+b&c=d/é";
  const query = new URLSearchParams({ access_token: token }).toString();
  expect(isAuthorized(request(`/?${query}`), token)).toBe(true);
});

Deno.test("checkAccessToken() refuses a token with surrounding white space (TypeError; HTTP-03 decision)", () => {
  // HTTP strips white space around header values, so such a token could never match.
  for (const token of [" t", "t ", "\tt", "t\n", " "]) {
    expect(() => checkAccessToken("create thing", token)).toThrow(TypeError);
  }
});

Deno.test("checkAccessToken() refuses control characters and non-strings (TypeError)", () => {
  for (const token of ["a\u0000b", "a\u007fb", "a\rb"]) {
    expect(() => checkAccessToken("create thing", token)).toThrow(TypeError);
  }
  expect(() => checkAccessToken("create thing", 42 as unknown as string)).toThrow(TypeError);
});

Deno.test('checkAccessToken() returns a usable token, inner spaces included, and "" for none (HTTP-02)', () => {
  expect(checkAccessToken("x", "s3cret")).toBe("s3cret");
  expect(checkAccessToken("x", "a b")).toBe("a b");
  expect(checkAccessToken("x", "")).toBe("");
  expect(checkAccessToken("x", undefined)).toBe("");
});

Deno.test("checkAccessToken() names the factory in its message (design.md §3)", () => {
  expect(() => checkAccessToken("create HTTP handler", "t ")).toThrow(
    /^Cannot create HTTP handler: /,
  );
});

Deno.test("timingSafeEqual() is plain string equality (HTTP-03 exact comparison)", () => {
  expect(timingSafeEqual("Bearer a", "Bearer a")).toBe(true);
  expect(timingSafeEqual("", "")).toBe(true);
  for (
    const [a, b] of [
      ["Bearer a", "Bearer b"],
      ["Bearer a", "Bearer ab"],
      ["Bearer ab", "Bearer a"],
      [
        "",
        "x",
      ],
      ["x", ""],
      ["é", "e"],
    ]
  ) {
    expect(timingSafeEqual(a!, b!)).toBe(false);
  }
});
