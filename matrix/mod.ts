/**
 * `@libob/matrix`: a OneBot 12 implementation for Matrix, built on libob.
 * One Matrix account becomes one OneBot bot (`platform` `matrix`); rooms are
 * private chats or groups, spaces guilds and their rooms channels;
 * `m.room.message` events are standard message events, and the standard
 * actions call the Client-Server API.
 *
 * ```ts ignore
 * import { createMatrixBridge, login } from "@libob/matrix";
 *
 * const { client, userId } = await login("https://matrix.example.org", {
 *   user: "bot",
 *   password: Deno.env.get("MATRIX_PASSWORD")!,
 * });
 * await using bridge = createMatrixBridge({ client, userId, statePath: "matrix-state.json" });
 * Deno.serve({ hostname: "127.0.0.1", port: 5700 }, bridge.fetch);
 * ```
 *
 * @module
 */

export {
  createMatrixClient,
  isMatrixError,
  login,
  type MatrixClient,
  type MatrixClientOptions,
  type MatrixCredentials,
  type MatrixError,
  matrixError,
  type MatrixRequest,
} from "./client.ts";
export {
  createMatrixBridge,
  type MatrixBridge,
  type MatrixBridgeOptions,
  PLATFORM,
} from "./bridge.ts";
export { type MatrixActions } from "./actions.ts";
export { mapMatrixError, MATRIX_RETCODE } from "./errors.ts";
export { MATRIX_BRIDGE_VERSION } from "./version.ts";
export {
  loadMatrixConfig,
  type MatrixBridgeConfig,
  type MatrixConfig,
  parseMatrixConfig,
} from "./config.ts";
