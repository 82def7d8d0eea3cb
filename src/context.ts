import type { Deps } from "./deps";

// The Hono environments of the hub's routes, in a file of their own so that route modules and the app that
// mounts them never import each other.

/** Every route: the hub's dependencies and the request id (`hono/request-id`). */
export type AppEnv = { Variables: { deps: Deps; requestId: string } };

/** SCIM routes: also the workspace being provisioned, who provisions it, and the base URL of its resources. */
export type ScimEnv = {
  Variables: { deps: Deps; requestId: string; workspaceId: string; actor: string; baseUrl: string };
};
