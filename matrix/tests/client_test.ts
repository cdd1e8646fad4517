import { expect } from "expect";
import { createMatrixClient, isMatrixError, mapMatrixError } from "../mod.ts";

/** A loopback homeserver answering each request with the next of `answers`. */
function homeserver(answers: (() => Response)[]) {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    await request.body?.cancel();
    seen.push(`${request.method} ${new URL(request.url).pathname}`);
    return (answers.shift() ?? (() => Response.json({ errcode: "M_UNKNOWN" }, { status: 500 })))();
  });
  return { server, seen, url: `http://127.0.0.1:${server.addr.port}` };
}

/** A 429 answer asking to wait `ms`. */
function limited(ms: number): () => Response {
  return () =>
    Response.json({ errcode: "M_LIMIT_EXCEEDED", error: "Too Many Requests", retry_after_ms: ms }, {
      status: 429,
    });
}

Deno.test("client: M_LIMIT_EXCEEDED is waited out (retry_after_ms) and the call retried", async () => {
  const { server, seen, url } = homeserver([
    limited(50),
    limited(50),
    () => Response.json({ event_id: "$1" }),
  ]);
  await using _ = server;
  const client = createMatrixClient({ homeserver: url, accessToken: "t" });
  const answer = await client.request({ method: "PUT", path: "/_matrix/client/v3/x", body: {} });
  expect(answer).toEqual({ event_id: "$1" });
  expect(seen).toHaveLength(3);
});

Deno.test("client: a wait beyond maxRateLimitWait fails at once, as 36001", async () => {
  const { server, seen, url } = homeserver([limited(120_000)]);
  await using _ = server;
  const client = createMatrixClient({ homeserver: url, accessToken: "t", maxRateLimitWait: 1000 });
  const error = await client.request({ method: "GET", path: "/x" }).catch((e) => e);
  expect(isMatrixError(error)).toBe(true);
  expect(error).toMatchObject({ errcode: "M_LIMIT_EXCEEDED", status: 429, retryAfterMs: 120_000 });
  expect(mapMatrixError(error)?.retcode).toBe(36001);
  expect(seen).toHaveLength(1);
});

Deno.test("client: errors keep errcode and status; a non-JSON error body; a network failure is 33001", async () => {
  const { server, url } = homeserver([
    () => Response.json({ errcode: "M_FORBIDDEN", error: "no" }, { status: 403 }),
    () => new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
  ]);
  const client = createMatrixClient({ homeserver: `${url}/`, accessToken: "t" });
  const forbidden = await client.request({ method: "GET", path: "/x" }).catch((e) => e);
  expect(forbidden).toMatchObject({
    errcode: "M_FORBIDDEN",
    status: 403,
    message: "M_FORBIDDEN: no",
  });
  expect(mapMatrixError(forbidden)).toMatchObject({ retcode: 34001 });
  const gateway = await client.request({ method: "GET", path: "/x" }).catch((e) => e);
  expect(gateway).toMatchObject({ errcode: "HTTP_502", status: 502 });
  expect(mapMatrixError(gateway)?.retcode).toBe(34000);
  await server.shutdown();
  const down = await client.request({ method: "GET", path: "/x" }).catch((e) => e);
  expect(down).toMatchObject({ errcode: "NETWORK", status: 0 });
  expect(mapMatrixError(down)?.retcode).toBe(33001);
  expect(mapMatrixError(new Error("other"))).toBeUndefined();
});

Deno.test("client: options are checked once", () => {
  expect(() => createMatrixClient({ homeserver: "ftp://x", accessToken: "t" }))
    .toThrow("Cannot create Matrix client: homeserver must be http(s): current value is ftp://x");
  expect(() => createMatrixClient({ homeserver: "http://x", accessToken: "" }))
    .toThrow("Cannot create Matrix client: accessToken must be a non-empty string");
});

Deno.test("client: a homeserver that never answers fails the call after requestTimeout, as 33001; an abort ends a rate-limit wait", async () => {
  const hold = Promise.withResolvers<void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    await request.body?.cancel();
    if (new URL(request.url).pathname === "/stall") await hold.promise;
    return Response.json({ errcode: "M_LIMIT_EXCEEDED", retry_after_ms: 50_000 }, {
      status: 429,
    });
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}`;
    const client = createMatrixClient({ homeserver: url, accessToken: "t", requestTimeout: 100 });
    const stalled = await client.request({ method: "GET", path: "/stall" }).catch((e) => e);
    expect(isMatrixError(stalled) && stalled.errcode).toBe("NETWORK");
    expect(mapMatrixError(stalled)?.retcode).toBe(33001);
    expect(String(stalled.message)).toContain("no answer within 100 ms");
    // A long rate-limit wait (50 s) ends at once when the call's signal aborts.
    const abort = new AbortController();
    const waiting = client.request({ method: "GET", path: "/limited", signal: abort.signal })
      .catch((e) => e);
    setTimeout(() => abort.abort(new Error("stopped")), 50);
    expect(String((await waiting).message)).toBe("stopped");
  } finally {
    hold.resolve();
    await server.shutdown();
  }
});
