import { expect } from "expect";
import { loadDemoConfig, parseDemoEnv } from "../../demo/config.ts";

Deno.test("parseDemoEnv() gives no options for an empty environment", () => {
  expect(parseDemoEnv({})).toEqual({});
});

Deno.test("parseDemoEnv() treats empty variables as unset", () => {
  expect(parseDemoEnv({
    ONEBOT_ACCESS_TOKEN: "",
    ONEBOT_HEARTBEAT_INTERVAL: "",
    ONEBOT_WEBHOOK_URL: "",
    ONEBOT_WS_REVERSE_URL: " , ",
    ONEBOT_WEBHOOK_TIMEOUT: "",
    ONEBOT_RECONNECT_INTERVAL: "",
    ONEBOT_EVENT_BUFFER_SIZE: " ",
    ONEBOT_COMPAT_META_SELF: "",
    ONEBOT_COMPAT_NON_STRING_ECHO: "",
    ONEBOT_COMPAT_NULL_PARAMS: " ",
    ONEBOT_WS_REVERSE_SUBPROTOCOLS: " , ",
  })).toEqual({});
});

Deno.test("parseDemoEnv() reads every variable into createOneBot options (§1.1–1.4, §3.5)", () => {
  expect(parseDemoEnv({
    ONEBOT_ACCESS_TOKEN: "s3cret",
    ONEBOT_HEARTBEAT_INTERVAL: "5000",
    ONEBOT_WEBHOOK_URL: "http://127.0.0.1:9000/hook, https://example.test/",
    ONEBOT_WS_REVERSE_URL: "ws://127.0.0.1:9001/,wss://example.test/ws,",
    ONEBOT_WEBHOOK_TIMEOUT: "2500",
    ONEBOT_RECONNECT_INTERVAL: "100",
    ONEBOT_EVENT_BUFFER_SIZE: "0",
  })).toEqual({
    accessToken: "s3cret",
    heartbeat: { interval: 5000 },
    http: { eventBufferSize: 0 },
    httpWebhook: [
      { url: "http://127.0.0.1:9000/hook", timeout: 2500 },
      { url: "https://example.test/", timeout: 2500 },
    ],
    websocketReverse: [
      { url: "ws://127.0.0.1:9001/", reconnectInterval: 100 },
      { url: "wss://example.test/ws", reconnectInterval: 100 },
    ],
  });
});

Deno.test("parseDemoEnv() reads ONEBOT_COMPAT_META_SELF into compat.metaSelf (§9.2 item 21)", () => {
  for (const value of ["1", "true", " TRUE "]) {
    expect(parseDemoEnv({ ONEBOT_COMPAT_META_SELF: value })).toEqual({
      compat: { metaSelf: true },
    });
  }
  for (const value of ["0", "false", "False"]) {
    expect(parseDemoEnv({ ONEBOT_COMPAT_META_SELF: value })).toEqual({});
  }
});

Deno.test("parseDemoEnv() turns the playground off only for ONEBOT_PLAYGROUND=0/false", () => {
  for (const value of ["0", "false", " FALSE "]) {
    expect(parseDemoEnv({ ONEBOT_PLAYGROUND: value })).toEqual({ playground: false });
  }
  for (const value of ["", "1", "true"]) {
    expect(parseDemoEnv({ ONEBOT_PLAYGROUND: value })).toEqual({});
  }
  expect(() => parseDemoEnv({ ONEBOT_COMPAT_META_SELF: "constructor" })).toThrow(
    'ONEBOT_COMPAT_META_SELF must be 1, 0, true or false: current value is "constructor"',
  );
  expect(() => parseDemoEnv({ ONEBOT_PLAYGROUND: "no" })).toThrow(
    'ONEBOT_PLAYGROUND must be 1, 0, true or false: current value is "no"',
  );
});

Deno.test("parseDemoEnv() gives every reverse WebSocket the ONEBOT_WS_REVERSE_SUBPROTOCOLS, without repeats (WSR-03)", () => {
  expect(parseDemoEnv({
    ONEBOT_WS_REVERSE_URL: "ws://127.0.0.1:9001/,ws://127.0.0.1:9002/",
    ONEBOT_WS_REVERSE_SUBPROTOCOLS: "12, 12.libob-demo,,12",
  })).toEqual({
    websocketReverse: [
      { url: "ws://127.0.0.1:9001/", subprotocols: ["12", "12.libob-demo"] },
      { url: "ws://127.0.0.1:9002/", subprotocols: ["12", "12.libob-demo"] },
    ],
  });
  // Without URLs there is nothing to offer them.
  expect(parseDemoEnv({ ONEBOT_WS_REVERSE_SUBPROTOCOLS: "12" })).toEqual({});
});

Deno.test("parseDemoEnv() reads ONEBOT_ALLOWED_ORIGINS into allowedOrigins, normalised, and names it when bad (issue 12)", () => {
  expect(parseDemoEnv({ ONEBOT_ALLOWED_ORIGINS: " https://App.example:443/ , null,* ," })).toEqual({
    allowedOrigins: ["https://app.example", "null", "*"],
  });
  expect(parseDemoEnv({ ONEBOT_ALLOWED_ORIGINS: " , " })).toEqual({});
  for (const bad of ["example.com", "https://example.com/path", "ws://x/?a=1"]) {
    expect(() => parseDemoEnv({ ONEBOT_ALLOWED_ORIGINS: bad }))
      .toThrow("ONEBOT_ALLOWED_ORIGINS must be a comma-separated list of origins");
  }
});

Deno.test("parseDemoEnv() turns the heartbeat off for 0 (§3.5)", () => {
  expect(parseDemoEnv({ ONEBOT_HEARTBEAT_INTERVAL: "0" })).toEqual({});
});

Deno.test("parseDemoEnv() ignores the timeout and interval without URLs to use them", () => {
  expect(parseDemoEnv({ ONEBOT_WEBHOOK_TIMEOUT: "0", ONEBOT_RECONNECT_INTERVAL: "10" }))
    .toEqual({});
});

const BAD_VALUES: readonly [string, string, ErrorConstructor, string][] = [
  ["ONEBOT_HEARTBEAT_INTERVAL", "-1", RangeError, "must be an integer >= 0"],
  ["ONEBOT_HEARTBEAT_INTERVAL", "1.5", TypeError, "must be an integer >= 0"],
  ["ONEBOT_HEARTBEAT_INTERVAL", "5s", TypeError, 'current value is "5s"'],
  ["ONEBOT_WEBHOOK_TIMEOUT", "-10", RangeError, "must be an integer >= 0"],
  ["ONEBOT_WEBHOOK_TIMEOUT", "abc", TypeError, "must be an integer >= 0"],
  ["ONEBOT_RECONNECT_INTERVAL", "0", RangeError, "must be an integer > 0"],
  ["ONEBOT_RECONNECT_INTERVAL", "1e3", TypeError, "must be an integer > 0"],
  ["ONEBOT_EVENT_BUFFER_SIZE", "-1", RangeError, "must be an integer >= 0"],
  ["ONEBOT_EVENT_BUFFER_SIZE", "99999999999999999999", TypeError, "must be an integer"],
  ["ONEBOT_WEBHOOK_URL", "not a url", TypeError, "is not a URL"],
  ["ONEBOT_WEBHOOK_URL", "http://ok.test/,ws://127.0.0.1/", TypeError, "scheme ws:"],
  ["ONEBOT_WS_REVERSE_URL", "http://127.0.0.1/", TypeError, "scheme http:"],
  ["ONEBOT_WS_REVERSE_URL", "127.0.0.1:9001", TypeError, "ws:// or wss://"],
  ["ONEBOT_ACCESS_TOKEN", " padded", TypeError, "surrounding white space"],
  ["ONEBOT_ACCESS_TOKEN", "a\tb", TypeError, "control characters"],
  [
    "ONEBOT_COMPAT_META_SELF",
    "yes",
    TypeError,
    'must be 1, 0, true or false: current value is "yes"',
  ],
  ["ONEBOT_WS_REVERSE_SUBPROTOCOLS", "12,12 x", TypeError, '"12 x" is not a token'],
  ["ONEBOT_COMPAT_NON_STRING_ECHO", "on", TypeError, "must be 1, 0, true or false"],
  ["ONEBOT_COMPAT_NULL_PARAMS", "2", TypeError, "must be 1, 0, true or false"],
];

for (const [name, value, type, detail] of BAD_VALUES) {
  Deno.test(`parseDemoEnv() rejects ${name}=${JSON.stringify(value)} naming it`, () => {
    let caught: unknown;
    try {
      parseDemoEnv({ [name]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(type);
    const message = (caught as Error).message;
    expect(message.startsWith(`${name} `)).toBe(true);
    expect(message).toContain(detail);
    expect(message).not.toContain("\n");
  });
}

Deno.test("loadDemoConfig() reads ONEBOT_CONFIG and lets variables override it (issue 7)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/onebot.toml`;
    await Deno.writeTextFile(
      path,
      [
        "[heartbeat]",
        "interval = 4000",
        "[[http_webhook]]",
        'url = "http://127.0.0.1:9/hook"',
        "timeout = 1000",
        "[[websocket_rev]]",
        'url = "ws://127.0.0.1:9/ws"',
        "reconnect_interval = 3000",
      ].join("\n"),
    );
    const fromFile = await loadDemoConfig({ ONEBOT_CONFIG: path });
    expect(fromFile.heartbeat).toEqual({ interval: 4000 });
    expect(fromFile.httpWebhook).toEqual([{ url: "http://127.0.0.1:9/hook", timeout: 1000 }]);
    expect(fromFile.websocketReverse).toEqual([{
      url: "ws://127.0.0.1:9/ws",
      reconnectInterval: 3000,
    }]);
    const overridden = await loadDemoConfig({
      ONEBOT_CONFIG: path,
      ONEBOT_HEARTBEAT_INTERVAL: "2000",
    });
    expect(overridden.heartbeat).toEqual({ interval: 2000 });
    await Deno.writeTextFile(path, "[heartbeat]\ninterval = -5\n");
    await expect(loadDemoConfig({ ONEBOT_CONFIG: path })).rejects.toThrow(/^ONEBOT_CONFIG/);
    await expect(loadDemoConfig({ ONEBOT_CONFIG: `${dir}/missing.toml` })).rejects.toThrow(
      /^ONEBOT_CONFIG/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseDemoEnv() reads ONEBOT_COMPAT_NON_STRING_ECHO and ONEBOT_COMPAT_NULL_PARAMS into compat (§2.2)", () => {
  expect(parseDemoEnv({ ONEBOT_COMPAT_NON_STRING_ECHO: "1" })).toEqual({
    compat: { nonStringEcho: true },
  });
  expect(parseDemoEnv({ ONEBOT_COMPAT_NULL_PARAMS: "true" })).toEqual({
    compat: { nullParams: true },
  });
  expect(parseDemoEnv({
    ONEBOT_COMPAT_META_SELF: "1",
    ONEBOT_COMPAT_NON_STRING_ECHO: "TRUE",
    ONEBOT_COMPAT_NULL_PARAMS: "1",
  })).toEqual({ compat: { metaSelf: true, nonStringEcho: true, nullParams: true } });
  expect(parseDemoEnv({ ONEBOT_COMPAT_NON_STRING_ECHO: "0", ONEBOT_COMPAT_NULL_PARAMS: "false" }))
    .toEqual({});
});

Deno.test("parseDemoEnv() reads ONEBOT_LOG_LEVEL (any case, trimmed) and refuses other levels", () => {
  expect(parseDemoEnv({ ONEBOT_LOG_LEVEL: "" })).toEqual({});
  for (const level of ["debug", "info", "warning", "error"]) {
    expect(parseDemoEnv({ ONEBOT_LOG_LEVEL: ` ${level.toUpperCase()} ` })).toEqual({
      logLevel: level,
    });
  }
  for (const bad of ["warn", "trace", "verbose", "0"]) {
    expect(() => parseDemoEnv({ ONEBOT_LOG_LEVEL: bad })).toThrow(
      `ONEBOT_LOG_LEVEL must be debug, info, warning or error: current value is "${bad}"`,
    );
  }
});

Deno.test("parseDemoEnv() reads the demo platform's message bounds, integers > 0", () => {
  expect(parseDemoEnv({
    ONEBOT_DEMO_MAX_MESSAGES: " 50 ",
    ONEBOT_DEMO_MAX_MESSAGES_SIZE: "1048576",
  })).toEqual({ maxMessagesPerChat: 50, maxMessagesSize: 1048576 });
  expect(parseDemoEnv({ ONEBOT_DEMO_MAX_MESSAGES: "", ONEBOT_DEMO_MAX_MESSAGES_SIZE: " " }))
    .toEqual({});
  expect(() => parseDemoEnv({ ONEBOT_DEMO_MAX_MESSAGES: "0" })).toThrow(
    new RangeError("ONEBOT_DEMO_MAX_MESSAGES must be an integer > 0: current value is 0"),
  );
  expect(() => parseDemoEnv({ ONEBOT_DEMO_MAX_MESSAGES_SIZE: "32M" })).toThrow(
    new TypeError('ONEBOT_DEMO_MAX_MESSAGES_SIZE must be an integer > 0: current value is "32M"'),
  );
});
