import { expect } from "expect";
import { loadOneBotConfig, parseOneBotConfig } from "../../config/mod.ts";

Deno.test("parseOneBotConfig() converts every conventional section (§1.1–1.4, §3.5)", () => {
  const config = parseOneBotConfig({
    heartbeat: { enabled: true, interval: 5000 },
    http: [{
      host: "0.0.0.0",
      port: 5700,
      access_token: "a",
      event_enabled: false,
      event_buffer_size: 0,
    }],
    http_webhook: [{ url: "http://127.0.0.1:8080/hook", access_token: "b", timeout: 0 }],
    websocket: [{ host: "127.0.0.1", port: 6700, access_token: "c" }],
    websocket_rev: [{ url: "wss://example.test/ws", access_token: "d", reconnect_interval: 3000 }],
  });
  expect(config.connections).toEqual({
    heartbeat: { interval: 5000 },
    http: { accessToken: "a", eventEnabled: false, eventBufferSize: 0 },
    httpWebhook: [{ url: "http://127.0.0.1:8080/hook", accessToken: "b", timeout: 0 }],
    websocket: { accessToken: "c" },
    websocketReverse: [{ url: "wss://example.test/ws", accessToken: "d", reconnectInterval: 3000 }],
  });
  expect(config.listen).toEqual([
    { hostname: "0.0.0.0", port: 5700 },
    { hostname: "127.0.0.1", port: 6700 },
  ]);
  expect(config.warnings).toEqual([]);
});

Deno.test("parseOneBotConfig() turns off sections that are absent", () => {
  const config = parseOneBotConfig({});
  expect(config.connections).toEqual({
    http: false,
    websocket: false,
    httpWebhook: [],
    websocketReverse: [],
    heartbeat: false,
  });
});

Deno.test("parseOneBotConfig() reports every problem, one line each (§9.1 item 13)", () => {
  let message = "";
  try {
    parseOneBotConfig({
      heartbeat: { enabled: true, interval: 0 },
      http: [{ port: 70000, event_buffer_size: -1 }],
      http_webhook: [{ url: "ws://wrong.scheme/", timeout: -5 }],
      websocket_rev: [{ url: "not a url", reconnect_interval: 0 }],
      bogus: 1,
    });
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    message = (error as Error).message;
  }
  const lines = message.split("\n").slice(1).map((line) => line.trim());
  expect(lines).toEqual([
    "bogus is not a OneBot connection section",
    "http[0].port must be an integer 0..65535: current value is 70000",
    "http[0].event_buffer_size must be an integer >= 0: current value is -1",
    "http_webhook[0].url must use http: or https:: current value is ws://wrong.scheme/",
    "http_webhook[0].timeout must be an integer >= 0 (milliseconds): current value is -5",
    'websocket_rev[0].url must be a URL: current value is "not a url"',
    "websocket_rev[0].reconnect_interval must be an integer > 0 (milliseconds): current value is 0",
    "heartbeat.interval must be an integer > 0 (milliseconds): current value is 0",
  ]);
});

Deno.test("parseOneBotConfig() warns about intervals that look like seconds (§9.1 item 12)", () => {
  const config = parseOneBotConfig({
    heartbeat: { interval: 5 },
    websocket_rev: [{ url: "ws://127.0.0.1:1/", reconnect_interval: 4 }],
  });
  expect(config.connections.heartbeat).toEqual({ interval: 5 });
  expect(config.warnings).toHaveLength(2);
});

Deno.test("parseOneBotConfig() leaves the heartbeat off when enabled is false", () => {
  expect(parseOneBotConfig({ heartbeat: { enabled: false, interval: 5000 } }).connections.heartbeat)
    .toBe(false);
});

Deno.test("loadOneBotConfig() reads TOML and JSON, and names the file on a syntax error", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/onebot.toml`,
      `[heartbeat]\nenabled = true\ninterval = 4000\n\n[[http_webhook]]\nurl = "http://127.0.0.1:1/"\ntimeout = 5000\n`,
    );
    const toml = await loadOneBotConfig(`${dir}/onebot.toml`);
    expect(toml.connections.heartbeat).toEqual({ interval: 4000 });
    expect(toml.connections.httpWebhook).toEqual([{ url: "http://127.0.0.1:1/", timeout: 5000 }]);
    await Deno.writeTextFile(`${dir}/onebot.json`, JSON.stringify({ websocket: [{ port: 1 }] }));
    expect((await loadOneBotConfig(`${dir}/onebot.json`)).listen).toEqual([
      { hostname: "127.0.0.1", port: 1 },
    ]);
    await Deno.writeTextFile(`${dir}/bad.toml`, "[[http]\n");
    await expect(loadOneBotConfig(`${dir}/bad.toml`)).rejects.toThrow("bad.toml");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadOneBotConfig() refuses a file larger than 1 MiB without reading it all (issue 12)", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(path, `{"heartbeat": {"interval": 5000}}${" ".repeat(1024 * 1024)}`);
    await expect(loadOneBotConfig(path)).rejects.toThrow("larger than 1048576 bytes");
  } finally {
    await Deno.remove(path);
  }
  // A device that never ends is refused too, with the file closed (resource sanitizer).
  if (Deno.build.os !== "windows") {
    await expect(loadOneBotConfig("/dev/zero")).rejects.toThrow("larger than 1048576 bytes");
  }
});

Deno.test("parseOneBotConfig() reads libob's websocket_rev handshake_timeout in milliseconds (WSR-05)", () => {
  const config = parseOneBotConfig({
    websocket_rev: [{ url: "ws://127.0.0.1:1/", handshake_timeout: 2500 }],
  });
  expect(config.connections.websocketReverse).toEqual([
    { url: "ws://127.0.0.1:1/", handshakeTimeout: 2500 },
  ]);
  expect(() =>
    parseOneBotConfig({ websocket_rev: [{ url: "ws://127.0.0.1:1/", handshake_timeout: 0 }] })
  )
    .toThrow(
      "websocket_rev[0].handshake_timeout must be an integer > 0 (milliseconds): current value is 0",
    );
});

Deno.test("parseOneBotConfig(value, { extra }) returns a bridge's own sections untouched, and still checks the OneBot ones", () => {
  const matrix = { homeserver: "https://example.org", nested: { deep: [1, 2] } };
  const config = parseOneBotConfig(
    { matrix, http: [{ host: "127.0.0.1", port: 5700 }] },
    { extra: ["matrix", "telegram"] },
  );
  expect(config.extra.matrix).toBe(matrix);
  expect(config.extra.telegram).toBeUndefined();
  expect(Object.keys(config.extra)).toEqual(["matrix", "telegram"]);
  expect(config.listen).toEqual([{ hostname: "127.0.0.1", port: 5700 }]);
  // Without the option the section is refused, as before; an unlisted one still is.
  expect(() => parseOneBotConfig({ matrix })).toThrow("matrix is not a OneBot connection section");
  expect(() => parseOneBotConfig({ matrix, irc: {} }, { extra: ["matrix"] })).toThrow(
    /^Cannot read OneBot configuration:\n {2}irc is not a OneBot connection section$/,
  );
  expect(() => parseOneBotConfig({ http: [{ port: -1 }], matrix }, { extra: ["matrix"] }))
    .toThrow("http[0].port");
  // extra cannot take a OneBot section's place.
  expect(() => parseOneBotConfig({}, { extra: ["http"] })).toThrow(
    "extra must not name a OneBot section: current value is http",
  );
  expect(() => parseOneBotConfig({}, { extra: "matrix" as unknown as string[] })).toThrow(
    "extra must be an array of strings",
  );
});

Deno.test("loadOneBotConfig(path, { extra }) passes extra to the parser", async () => {
  const path = await Deno.makeTempFile({ suffix: ".toml" });
  try {
    await Deno.writeTextFile(path, "[matrix]\nhomeserver = 'https://example.org'\n");
    const config = await loadOneBotConfig(path, { extra: ["matrix"] });
    expect(config.extra.matrix).toEqual({ homeserver: "https://example.org" });
  } finally {
    await Deno.remove(path);
  }
});
