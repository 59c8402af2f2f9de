/** Cleave's release version, reported by the API docs and the SDK config payload. */
export const CLEAVE_VERSION = '0.1.0';
