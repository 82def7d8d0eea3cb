import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors";
import { bearerPrincipal } from "./auth";
import { errorResponsesFor, jsonBodyGuards } from "./route-errors";
import type { AdminContext, AdminEnv } from "./route-kit";
import { sessionPrincipal } from "./session-auth";

// Member-scoped routes: a member acts for themselves (their web session, `{memberId}` being their id or
// `me`), and an `admin` key or owner's session acts for any member. Nobody else reaches another member's
// choices: a member's session on someone else's id is a 403 saying so.

export const memberParams = z.object({
  workspaceId: z.string().min(1),
  memberId: z.string().min(1).openapi({ description: "A member id, or `me` for the signed-in member" }),
});

const selfOrAdmin: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  const principal =
    header === undefined ? await sessionPrincipal(c, c.var.deps) : await bearerPrincipal(c.var.deps, header);
  if (!principal) {
    throw new AppError("unauthorized", "Send an API key as `Authorization: Bearer <key>`, or sign in.");
  }
  const named = c.req.param("memberId");
  if (principal.scopes.includes("admin")) {
    if (named === "me" && !("memberId" in principal)) {
      throw new AppError("bad_request", "An API key is not a member: name the member id instead of `me`.");
    }
  } else if (!("memberId" in principal)) {
    throw new AppError("forbidden", "This API key lacks the `admin` scope.");
  } else if (named !== "me" && named !== principal.memberId) {
    throw new AppError(
      "forbidden",
      "You can read and change only your own settings here (use `me`); a workspace owner can change anyone's.",
    );
  }
  c.set("principal", principal);
  await next();
};

/**
 * Any signed-in member, or an `admin` key: for routes whose handler decides what the caller may do (e.g. the
 * creator of an environment changing its collaborators).
 */
const anyMemberOrAdmin: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  const principal =
    header === undefined ? await sessionPrincipal(c, c.var.deps) : await bearerPrincipal(c.var.deps, header);
  if (!principal) {
    throw new AppError("unauthorized", "Send an API key as `Authorization: Bearer <key>`, or sign in.");
  }
  if (!("memberId" in principal) && !principal.scopes.includes("admin")) {
    throw new AppError("forbidden", "This API key lacks the `admin` scope.");
  }
  c.set("principal", principal);
  await next();
};

/** Who the caller is for a domain check: a member (and whether they manage everything), or an admin key. */
export function editorOf(c: AdminContext): { memberId: string | null; manager: boolean } {
  const principal = c.var.principal;
  if ("memberId" in principal) return { memberId: principal.memberId, manager: principal.level !== "member" };
  return { memberId: null, manager: principal.scopes.includes("admin") };
}

/** The member a member-scoped route acts for: `me` is the signed-in member. */
export function selfMemberId(c: AdminContext): string {
  const named = c.req.param("memberId") ?? "";
  const principal = c.var.principal;
  return named === "me" && "memberId" in principal ? principal.memberId : named;
}

type SelfRoute = Omit<RouteConfig, "middleware" | "security" | "operationId"> & { operationId: string };

/** A route a member may call for themselves and an admin for anyone, documented like every admin route. */
export function selfRoute<const R extends SelfRoute>(route: R) {
  return routeWith(selfOrAdmin, route);
}

/** A route any signed-in member may call (the handler checks what they may do), or an `admin` key. */
export function memberRoute<const R extends SelfRoute>(route: R) {
  return routeWith(anyMemberOrAdmin, route);
}

function routeWith<const R extends SelfRoute>(auth: MiddlewareHandler<AdminEnv>, route: R) {
  const guards = route.request?.body ? jsonBodyGuards : [];
  return createRoute({
    ...route,
    middleware: [auth, ...guards] as const,
    // A key with the `admin` scope; a member's own web session (the console's cookie) needs no scope here.
    security: [{ bearer: ["admin"] }],
    responses: { ...errorResponsesFor(route), ...route.responses } as R["responses"],
  });
}
