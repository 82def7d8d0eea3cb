import { OpenAPIHono } from "@hono/zod-openapi";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import type { ApiPrincipal } from "./auth";
import { inboxApi } from "./inbox-api";
import { outboxApi } from "./outbox-api";
import { adminRouters } from "./routers";
import { tasksApi } from "./tasks-api";

type Env = { Variables: { deps: Deps; requestId: string; principal: ApiPrincipal } };

/** The admin REST API under /api/v1, described by the OpenAPI document at /api/v1/openapi.json. */
export function createAdminApi() {
  const api = new OpenAPIHono<Env>({
    // Invalid query/body/params become the standard 400 envelope rather than zod-openapi's default shape.
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError("invalid_body", "The request does not match the API schema.", {
          issues: result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        });
      }
    },
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  inboxApi(api);
  adminRouters(api);
  outboxApi(api);
  tasksApi(api);
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Codex hub admin API", version: "1" },
    security: [{ bearer: [] }],
  });
  return api;
}
