/**
 * @module Access vocabulary: the roles people hold in a project and the kinds of API key programs
 * present. Shared by the server (authorization, storage) and the UI (what to show whom).
 */

/** Roles per project, weakest first: each may do what the ones before it may. */
export const PROJECT_ROLES = ['viewer', 'editor', 'admin', 'owner'] as const;
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/**
 * - `sdk`: one environment, read-only, safe to ship to browsers;
 * - `server`: one environment, secret (server-side SDKs, remote evaluation);
 * - `admin`: the management API of one project, secret.
 */
export const API_KEY_KINDS = ['sdk', 'server', 'admin'] as const;
export type ApiKeyKind = (typeof API_KEY_KINDS)[number];
