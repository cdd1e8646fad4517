/** The bridge's version, as `get_version` reports it (keep in step with deno.json). */
export const MATRIX_BRIDGE_VERSION = "0.1.0";
