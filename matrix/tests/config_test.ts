import { expect } from "expect";
import { parseMatrixConfig } from "../mod.ts";

Deno.test("config: [matrix] next to the OneBot sections; secrets from the environment win", () => {
  const config = parseMatrixConfig(
    {
      matrix: {
        homeserver: "https://matrix.example.org/",
        user: "bot",
        password: "in-file",
        state_file: "state/since.json",
        auto_join: false,
        sync_timeout: 10_000,
      },
      websocket: [{ host: "127.0.0.1", port: 5701, access_token: "tok" }],
    },
    "/srv/bridge/",
    { MATRIX_PASSWORD: "from-env" },
  );
  expect(config.matrix).toEqual({
    homeserver: "https://matrix.example.org",
    credentials: { user: "bot", password: "from-env" },
    statePath: "/srv/bridge/state/since.json",
    autoJoin: false,
    syncTimeout: 10_000,
  });
  expect(config.onebot.listen).toEqual([{ hostname: "127.0.0.1", port: 5701 }]);
  expect(config.onebot.connections.websocket).toEqual({ accessToken: "tok" });
  // An access token is enough; it wins over a password.
  expect(
    parseMatrixConfig({ matrix: { homeserver: "http://h", user: "u", password: "p" } }, "/", {
      MATRIX_ACCESS_TOKEN: "syt",
    }).matrix.credentials,
  ).toEqual({ accessToken: "syt" });
});

Deno.test("config: every problem at once, the OneBot sections' included", () => {
  let message = "";
  try {
    parseMatrixConfig({
      matrix: { homeserver: "ftp://x", sync_timeout: -1, auto_join: "yes", typo: 1 },
      http: [{ port: 70000 }],
    }, "/");
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    message = (error as Error).message;
  }
  for (
    const part of [
      "matrix.typo is not a known key",
      "matrix.homeserver: ",
      "give access_token",
      "matrix.auto_join must be a boolean",
      "matrix.sync_timeout must be an integer >= 0",
      "http[0].port",
    ]
  ) expect(message).toContain(part);
  expect(() => parseMatrixConfig({}, "/")).toThrow("[matrix] is required");
});
