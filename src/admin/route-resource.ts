import type { z } from "@hono/zod-openapi";
import type { Deps } from "../deps";
import {
  type AdminApp,
  actorOf,
  adminRoute,
  createdJson,
  itemParams,
  jsonBody,
  listOf,
  okJson,
  workspaceParams,
} from "./route-kit";

// Every workspace resource of the admin API (members, groups, roles, apps, plugins, environments, policies)
// has the same five routes: list, create, get, change, delete. Only the summaries and the service functions
// differ, so a resource file declares those and keeps its own routes (sub-collections, lookups) beside them.

type ListRoute<Item, Q extends z.ZodObject> =
  | { summary: string; description: string; run: (deps: Deps, workspaceId: string) => Promise<Item[]> }
  | {
      summary: string;
      description: string;
      /** A filter in the query string, handed to `run`. */
      query: Q;
      run: (deps: Deps, workspaceId: string, query: z.output<Q>) => Promise<Item[]>;
    };

export interface Resource<
  S extends z.ZodType,
  C extends z.ZodType,
  P extends z.ZodType,
  Q extends z.ZodObject,
  K extends string,
> {
  tags: string[];
  /** The collection; one item is `{path}/{idParam}`. */
  path: `/workspaces/{workspaceId}/${string}`;
  idParam: K;
  /** Names one item in the response descriptions ("The new group", "The group as it was"). */
  noun: string;
  /** What every route but the list returns, and the list returns `{ items }` of. */
  schema: S;
  list: ListRoute<z.output<S>, Q>;
  create: {
    summary: string;
    body: C;
    run: (deps: Deps, workspaceId: string, input: z.output<C>, actor: string) => Promise<z.output<S>>;
  };
  get: { summary: string; run: (deps: Deps, workspaceId: string, id: string) => Promise<z.output<S>> };
  update: {
    summary: string;
    body: P;
    run: (
      deps: Deps,
      workspaceId: string,
      id: string,
      patch: z.output<P>,
      actor: string,
    ) => Promise<z.output<S>>;
  };
  remove: {
    summary: string;
    /** Returns the item as it was before the delete. */
    run: (deps: Deps, workspaceId: string, id: string, actor: string) => Promise<z.output<S>>;
  };
}

/** Registers a resource's list, create, get, patch and delete routes, in that order. */
export function resourceRoutes<
  S extends z.ZodType,
  C extends z.ZodType,
  P extends z.ZodType,
  Q extends z.ZodObject,
  K extends string,
>(app: AdminApp, resource: Resource<S, C, P, Q, K>): void {
  // The call site checks the services against the schemas; past that point the route types would only
  // restate them, and TypeScript cannot follow them through the generics.
  registerResource(
    app,
    resource as unknown as Resource<z.ZodType, z.ZodType, z.ZodType, z.ZodObject, string>,
  );
}

/** `environments` → `Environments`, `task-limits` → `TaskLimits`: the words of an operationId. */
const pascal = (words: string) =>
  words
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");

/**
 * The operationIds of a resource, from its collection (`list` + the path's last segment) and its noun
 * (`create`/`get`/`update`/`delete` + noun), e.g. listGroups, createGroup, getGroup, updateGroup, deleteGroup.
 */
function resourceOperationIds(path: string, noun: string) {
  const one = pascal(noun);
  return {
    list: `list${pascal(path.slice(path.lastIndexOf("/") + 1))}`,
    create: `create${one}`,
    get: `get${one}`,
    update: `update${one}`,
    remove: `delete${one}`,
  };
}

function registerResource(app: AdminApp, r: Resource<z.ZodType, z.ZodType, z.ZodType, z.ZodObject, string>) {
  const { tags, path, idParam, noun, schema, list } = r;
  const operationIds = resourceOperationIds(path, noun);
  const itemPath = `${path}/{${idParam}}`;
  const params = itemParams(idParam);
  // The params schema requires both, so both are always there.
  const idsOf = (p: Record<string, string | undefined>) => ({
    workspaceId: p.workspaceId as string,
    id: p[idParam] as string,
  });
  // A list without a filter must document no query at all; the handler reads one only where there is one,
  // so the type may say it is always there.
  const listRequest = ("query" in list
    ? { params: workspaceParams, query: list.query }
    : { params: workspaceParams }) as unknown as { params: typeof workspaceParams; query: z.ZodObject };
  app.openapi(
    adminRoute({
      method: "get",
      path,
      operationId: operationIds.list,
      tags,
      summary: list.summary,
      request: listRequest,
      responses: okJson(listOf(schema), list.description),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      const deps = c.var.deps;
      const items =
        "query" in list
          ? await list.run(deps, workspaceId, c.req.valid("query"))
          : await list.run(deps, workspaceId);
      return c.json({ items }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "post",
      path,
      operationId: operationIds.create,
      tags,
      summary: r.create.summary,
      request: { params: workspaceParams, body: jsonBody(r.create.body) },
      responses: createdJson(schema, `The new ${noun}`),
    }),
    async (c) =>
      c.json(
        await r.create.run(c.var.deps, c.req.valid("param").workspaceId, c.req.valid("json"), actorOf(c)),
        201,
      ),
  );
  app.openapi(
    adminRoute({
      method: "get",
      path: itemPath,
      operationId: operationIds.get,
      tags,
      summary: r.get.summary,
      request: { params },
      responses: okJson(schema, `The ${noun}`),
    }),
    async (c) => {
      const { workspaceId, id } = idsOf(c.req.valid("param"));
      return c.json(await r.get.run(c.var.deps, workspaceId, id), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "patch",
      path: itemPath,
      operationId: operationIds.update,
      tags,
      summary: r.update.summary,
      request: { params, body: jsonBody(r.update.body) },
      responses: okJson(schema, `The ${noun} after the change`),
    }),
    async (c) => {
      const { workspaceId, id } = idsOf(c.req.valid("param"));
      return c.json(await r.update.run(c.var.deps, workspaceId, id, c.req.valid("json"), actorOf(c)), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      path: itemPath,
      operationId: operationIds.remove,
      tags,
      summary: r.remove.summary,
      request: { params },
      responses: okJson(schema, `The ${noun} as it was`),
    }),
    async (c) => {
      const { workspaceId, id } = idsOf(c.req.valid("param"));
      return c.json(await r.remove.run(c.var.deps, workspaceId, id, actorOf(c)), 200);
    },
  );
}
