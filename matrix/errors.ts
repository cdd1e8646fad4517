/**
 * Matrix failures as OneBot retcodes (the README's table): the bridge's
 * `mapError`, so that no handler needs a `try`.
 *
 * @module
 */

import { failed, type Failure, RETCODE } from "@libob/libob";
import { isMatrixError } from "./client.ts";

/**
 * The bridge's own retcodes: 33xxx network, 34xxx the homeserver refused,
 * 35xxx logic errors of the request, 36001 rate limited for too long.
 *
 * @example
 * ```ts
 * import { MATRIX_RETCODE } from "@libob/matrix";
 *
 * const notJoined = MATRIX_RETCODE.UNKNOWN_GROUP; // 35001
 * ```
 */
export const MATRIX_RETCODE = {
  /** The homeserver could not be reached (connection refused, DNS, reset). */
  NETWORK: 33001,
  /** Another homeserver error (`M_UNKNOWN`, an HTTP 5xx, an unexpected answer). */
  PLATFORM: RETCODE.PLATFORM_ERROR,
  /** `M_FORBIDDEN`: the bot may not do that (power levels, not invited, banned). */
  FORBIDDEN: 34001,
  /** `M_NOT_FOUND`: no such room, event, user or media. */
  NOT_FOUND: 34002,
  /** `M_UNKNOWN_TOKEN` / `M_MISSING_TOKEN`: the bot's access token is not valid any more. */
  BAD_TOKEN: 34003,
  /** `M_TOO_LARGE`: the media or event is too large for the homeserver. */
  TOO_LARGE: 34004,
  /** `M_BAD_JSON` / `M_INVALID_PARAM` / `M_NOT_JSON`: the homeserver refused the request's shape. */
  BAD_REQUEST: 34005,
  /** The bot is in no such group (room). */
  UNKNOWN_GROUP: 35001,
  /** No such user, or no direct room with them could be made. */
  UNKNOWN_USER: 35002,
  /** The `message_id` is not one of this bridge. */
  UNKNOWN_MESSAGE: 35003,
  /** The user is not a member of the group, guild or channel. */
  NOT_A_MEMBER: 35004,
  /** The bot is in no such guild (space). */
  UNKNOWN_GUILD: 35005,
  /** The bot is in no such channel (a room of the space). */
  UNKNOWN_CHANNEL: 35006,
  /** `M_LIMIT_EXCEEDED` longer than the bridge waits (see `maxRateLimitWait`). */
  RATE_LIMITED: 36001,
} as const;

const BY_ERRCODE: Record<string, number> = {
  NETWORK: MATRIX_RETCODE.NETWORK,
  M_FORBIDDEN: MATRIX_RETCODE.FORBIDDEN,
  M_NOT_FOUND: MATRIX_RETCODE.NOT_FOUND,
  M_UNKNOWN_TOKEN: MATRIX_RETCODE.BAD_TOKEN,
  M_MISSING_TOKEN: MATRIX_RETCODE.BAD_TOKEN,
  M_TOO_LARGE: MATRIX_RETCODE.TOO_LARGE,
  M_BAD_JSON: MATRIX_RETCODE.BAD_REQUEST,
  M_NOT_JSON: MATRIX_RETCODE.BAD_REQUEST,
  M_INVALID_PARAM: MATRIX_RETCODE.BAD_REQUEST,
  M_LIMIT_EXCEEDED: MATRIX_RETCODE.RATE_LIMITED,
};

/**
 * The retcode of a thrown Matrix error; `undefined` for anything else (libob
 * answers 20002).
 *
 * @param error What a handler threw.
 * @returns The failure, or `undefined`.
 *
 * @example
 * ```ts
 * import { mapMatrixError, matrixError } from "@libob/matrix";
 * import { expect } from "expect";
 *
 * expect(mapMatrixError(matrixError("M_FORBIDDEN", "no", 403))?.retcode).toBe(34001);
 * ```
 */
export function mapMatrixError(error: unknown): Failure | undefined {
  if (!isMatrixError(error)) return undefined;
  const retcode = BY_ERRCODE[error.errcode] ?? MATRIX_RETCODE.PLATFORM;
  return failed(retcode, `Matrix: ${error.message}`);
}
