import { Hono, type MiddlewareHandler } from "hono";
import type { ScimEnv } from "../context";
import type { ApiScope } from "../workspace/api-key-scopes";
import { authenticate } from "../workspace/api-keys";
import { listWorkspaceIds, requireWorkspaceRow } from "../workspace/workspaces";
import { scimDiscovery } from "./discovery";
import { ScimError, scimErrorResponse, toScimError } from "./errors";
import { scimGroups } from "./groups";
import { scimUsers } from "./users";

// SCIM 2.0 provisioning (RFC 7643/7644) of members and groups. The bearer token is an API key with the
// `scim` scope (or `admin`).
// /scim/v2 serves the hub's workspace when it has exactly one (the self-hosted case);
// /scim/v2/workspaces/{id} is the base URL to give the identity provider when there are several.

const SCIM_SCOPES: readonly ApiScope[] = ["scim", "admin"];

const authenticateScim: MiddlewareHandler<ScimEnv> = async (c, next) => {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (!match) throw new ScimError(401, "Send a `scim` API key as `Authorization: Bearer <key>`.");
  const principal = await authenticate(c.var.deps, match[1]!);
  if (!principal) throw new ScimError(401, "The API key is not valid.");
  // An identity provider's token should be a `scim` key, which opens nothing else; an admin key works too.
  if (!principal.scopes.some((scope) => SCIM_SCOPES.includes(scope)))
    throw new ScimError(403, "SCIM provisioning needs an API key with the `scim` or `admin` scope.");
  c.set("actor", `scim:${principal.keyId}`);
  await next();
};

function workspaceResolver(pinned: boolean): MiddlewareHandler<ScimEnv> {
  return async (c, next) => {
    const deps = c.var.deps;
    let workspaceId = pinned ? c.req.param("workspaceId") : undefined;
    if (workspaceId) await requireWorkspaceRow(deps, workspaceId);
    else {
      const ids = await listWorkspaceIds(deps);
      if (ids.length !== 1) {
        throw new ScimError(
          400,
          "This hub has several workspaces: use /scim/v2/workspaces/{workspaceId} as the SCIM base URL.",
        );
      }
      workspaceId = ids[0]!;
    }
    c.set("workspaceId", workspaceId);
    const base = pinned ? `/scim/v2/workspaces/${workspaceId}` : "/scim/v2";
    c.set("baseUrl", `${deps.config.publicUrl}${base}`);
    await next();
  };
}

function resources(pinned: boolean) {
  const api = new Hono<ScimEnv>();
  api.use("*", authenticateScim, workspaceResolver(pinned));
  api.route("/Users", scimUsers());
  api.route("/Groups", scimGroups());
  api.route("/", scimDiscovery());
  return api;
}

export function scimRoutes() {
  const scim = new Hono<ScimEnv>();
  scim.route("/workspaces/:workspaceId", resources(true));
  scim.route("/", resources(false));
  // A mounted app's notFound is not consulted, so unknown SCIM paths are answered by a last catch-all route.
  scim.all("*", (c) => scimErrorResponse(c, new ScimError(404, `No SCIM resource at ${c.req.path}.`)));
  scim.onError((error, c) => {
    const scimError = toScimError(error);
    if (scimError.status >= 500) {
      c.var.deps.logger.error(
        { requestId: c.var.requestId, err: { name: error.name, message: error.message, stack: error.stack } },
        "scim error",
      );
    }
    return scimErrorResponse(c, scimError);
  });
  return scim;
}
