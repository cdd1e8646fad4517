import type { ActionResponse } from "../../action/types.ts";
import { createOneBot } from "../../onebot.ts";
import { openClient, serve, serveApp } from "../_loopback.ts";
import { suiteOptions, type TransportCaller, transportSuite } from "../_transport_suite.ts";

/** The response as it was on the wire, without the helper's frame info. */
function withoutFrame(response: ActionResponse & { frame: unknown }): ActionResponse {
  const { frame: _frame, ...wire } = response;
  return wire;
}

transportSuite("http", () => {
  const onebot = createOneBot(suiteOptions());
  const server = serve(onebot.fetch);
  return Promise.resolve(
    {
      async call(request: unknown): Promise<ActionResponse> {
        const response = await fetch(server.url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(request),
        });
        return await response.json();
      },
      async [Symbol.asyncDispose]() {
        await server[Symbol.asyncDispose]();
        await onebot[Symbol.asyncDispose]();
      },
    } satisfies TransportCaller,
  );
});

transportSuite("websocket", async () => {
  const onebot = createOneBot(suiteOptions());
  const server = serve(onebot.fetch);
  const client = await openClient(server.wsUrl);
  return {
    call: async (request) => withoutFrame(await client.call(request)),
    async [Symbol.asyncDispose]() {
      await client[Symbol.asyncDispose]();
      await onebot[Symbol.asyncDispose]();
      await server[Symbol.asyncDispose]();
    },
  };
});

transportSuite("websocket_reverse", async () => {
  const app = serveApp();
  const onebot = createOneBot({
    ...suiteOptions(),
    http: false,
    websocket: false,
    websocketReverse: [{ url: app.wsUrl, reconnectInterval: 50 }],
  });
  const { peer } = await app.accept();
  return {
    call: async (request) => withoutFrame(await peer.call(request)),
    async [Symbol.asyncDispose]() {
      await onebot[Symbol.asyncDispose]();
      await app[Symbol.asyncDispose]();
    },
  };
});
