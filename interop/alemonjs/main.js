// Starts alemonjs with the OneBot platform and the ping -> pong app in app/.
// The connection settings come from the YAML file named by CFG_PATH.
import { start } from "alemonjs";

start({ input: "app/index.js", login: "onebot" });
