/**
 * Testing helpers for implementers: an in-process fake application
 * ({@linkcode createTestKit}) and one over a real socket
 * ({@linkcode connectTestClient}).
 *
 * @module
 */

export { type EventPredicate, type EventWaits, type NextEventOptions } from "./_mailbox.ts";
export {
  connectTestClient,
  type TestClient,
  type TestClientCallOptions,
  type TestClientOptions,
} from "./test_client.ts";
export {
  type CallOptions,
  createTestKit,
  type TestKit,
  type TestKitOptions,
  type TestKitSourceOptions,
} from "./test_kit.ts";
