import type { MiddlewareHandler } from "hono";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { sha256Hex } from "../lib/crypto";
import { principalForKey } from "./api-keys";
import { type ApiScope, apiScopes } from "./scopes";

export type { ApiScope };

export interface ApiPrincipal {
  keyId: string;
  scopes: ApiScope[];
}

type Env = { Variables: { deps: Deps; requestId: string; principal: ApiPrincipal } };

/**
 * Bearer API keys. The bootstrap key HUB_ADMIN_TOKEN holds every scope. Keys are compared by their
 * SHA-256 digest, so the comparison time does not depend on how much of the key matched.
 */
export function requireScope(scope: ApiScope): MiddlewareHandler<Env> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError("unauthorized", "Send an API key as `Authorization: Bearer <key>`.");
    const principal = await authenticate(c.var.deps, match[1]!);
    if (!principal) throw new AppError("unauthorized", "The API key is not valid.");
    if (!principal.scopes.includes(scope)) {
      throw new AppError("forbidden", `This API key lacks the \`${scope}\` scope.`);
    }
    c.set("principal", principal);
    await next();
  };
}

/** The principal of a bearer key: the bootstrap HUB_ADMIN_TOKEN, or a key created through the API (stored hashed). */
export async function authenticate(deps: Deps, key: string): Promise<ApiPrincipal | null> {
  const admin = deps.config.adminToken;
  if (admin && (await sha256Hex(key)) === (await sha256Hex(admin))) {
    return { keyId: "bootstrap", scopes: [...apiScopes] };
  }
  return principalForKey(deps, key);
}

/** How a principal is named in the audit log. */
export const auditActor = (principal: ApiPrincipal): string => `api_key:${principal.keyId}`;
