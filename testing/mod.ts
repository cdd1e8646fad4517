/**
 * Testing helpers for implementers: an in-process fake application.
 *
 * @module
 */

export { type CallOptions, createTestKit, type TestKit, type TestKitOptions } from "./test_kit.ts";
