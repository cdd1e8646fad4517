/**
 * Configuration files: the conventional OneBot connection sections from JSON
 * or TOML, and serving a OneBot where they say ({@linkcode serveOneBot}).
 *
 * @module
 */

export {
  type ListenAddress,
  loadOneBotConfig,
  type OneBotConfig,
  parseOneBotConfig,
} from "./config.ts";
export {
  type OneBotServer,
  type ServeConfig,
  serveOneBot,
  type ServeOneBotOptions,
} from "./serve.ts";
