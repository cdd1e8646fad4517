/**
 * Configuration files: the conventional OneBot connection sections from JSON
 * or TOML.
 *
 * @module
 */

export {
  type ListenAddress,
  loadOneBotConfig,
  type OneBotConfig,
  parseOneBotConfig,
} from "./config.ts";
