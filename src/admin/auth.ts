import type { MiddlewareHandler } from "hono";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import type { ApiScope } from "../workspace/api-key-scopes";
import { authenticate } from "../workspace/api-keys";
import { type ApiPrincipal, auditActor, type KeyPrincipal } from "../workspace/principals";
import { levelRefusal, sessionPrincipal } from "./session-auth";

export type { ApiPrincipal, ApiScope };
// Pages outside the API (sign-in, the console) read keys and principals through these names too.
export { auditActor, authenticate };

type Env = { Variables: { deps: Deps; requestId: string; principal: ApiPrincipal } };

/**
 * Bearer API keys, or else the browser's web session (session-auth.ts). The bootstrap key HUB_ADMIN_TOKEN
 * holds every scope. Keys are compared by their SHA-256 digest, so the comparison time does not depend on
 * how much of the key matched.
 */
export function requireScope(scope: ApiScope): MiddlewareHandler<Env> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const principal =
      header === undefined
        ? await sessionPrincipal(c, c.var.deps)
        : await bearerPrincipal(c.var.deps, header);
    if (!principal) {
      throw new AppError("unauthorized", "Send an API key as `Authorization: Bearer <key>`, or sign in.");
    }
    if (!principal.scopes.includes(scope)) {
      throw new AppError(
        "forbidden",
        "memberId" in principal
          ? levelRefusal(principal.level, scope)
          : `This API key lacks the \`${scope}\` scope.`,
      );
    }
    c.set("principal", principal);
    await next();
  };
}

export async function bearerPrincipal(deps: Deps, header: string): Promise<KeyPrincipal> {
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError("unauthorized", "Send an API key as `Authorization: Bearer <key>`.");
  const principal = await authenticate(deps, match[1]!);
  if (!principal) throw new AppError("unauthorized", "The API key is not valid.");
  return principal;
}
