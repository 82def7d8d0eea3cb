import { createRoute, type OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Deps } from "../deps";
import type { RoutedScope } from "../workspace/api-key-scopes";
import { nameSchema, nonEmptyPatch } from "../workspace/field-schemas";
import { type ApiPrincipal, auditActor, requireScope } from "./auth";
import { errorResponsesFor, jsonBodyGuards } from "./route-errors";

// Shared pieces of the admin API routers: every route is authenticated with a scope, has an operationId,
// is documented with the error envelope, and reads its JSON body as required (so a missing body is a 400,
// not an empty object).

// The console's forms validate names as the API does.
export { nameSchema, nonEmptyPatch };

export type AdminEnv = { Variables: { deps: Deps; requestId: string; principal: ApiPrincipal } };
export type AdminApp = OpenAPIHono<AdminEnv>;
export type AdminContext = Context<AdminEnv>;

type ScopedRoute = Omit<RouteConfig, "middleware" | "security" | "operationId"> & {
  /**
   * Required, so no operation of the document lacks one: camelCase, verb first, named after what the route
   * does (`listGroups`, `addGroupMember`). Client generators name their methods after it.
   */
  operationId: string;
  /** Only a scope listed as routed (scopes.ts) may be named: naming one is what makes keys with it useful. */
  scope?: RoutedScope;
};

/**
 * A route behind `requireScope` (admin by default), with the error responses its shape can give; a route
 * with a JSON body refuses other media types (415) and oversized bodies (413) before parsing it.
 */
export function adminRoute<const R extends ScopedRoute>(config: R) {
  const { scope = "admin", ...route } = config;
  const guards = route.request?.body ? jsonBodyGuards : [];
  return createRoute({
    ...route,
    middleware: [requireScope(scope), ...guards] as const,
    // OpenAPI 3.1 lets a bearer requirement name roles: the API key scope the route requires.
    security: [{ bearer: [scope] }],
    responses: { ...errorResponsesFor(route), ...route.responses } as R["responses"],
  });
}

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  description,
  content: { "application/json": { schema } },
});

export const okJson = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { description, content: { "application/json": { schema } } },
});

export const createdJson = <T extends z.ZodType>(schema: T, description: string) => ({
  201: { description, content: { "application/json": { schema } } },
});

export const listOf = <T extends z.ZodType>(schema: T) => z.object({ items: z.array(schema) });

export const workspaceParams = z.object({ workspaceId: z.string().min(1) });
export const idParams = <K extends string>(...keys: K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.string().min(1)])) as Record<K, z.ZodString>);
/** The params of one item of a workspace's collection, e.g. `{workspaceId, groupId}`. */
export const itemParams = <K extends string>(idParam: K) => workspaceParams.extend(idParams(idParam).shape);

/** Who made the change, for the audit log. */
export const actorOf = (c: AdminContext): string => auditActor(c.var.principal);
