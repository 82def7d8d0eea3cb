import { OpenAPIHono } from "@hono/zod-openapi";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import type { ApiPrincipal } from "./auth";
import { docsRoutes } from "./docs";
import { registerErrorComponents } from "./route-errors";
import { adminRouters } from "./routers";
import { inboxApi } from "./routes/inbox";
import { outboxApi } from "./routes/outbox";
import { taskLimitsApi } from "./routes/task-limits";
import { tasksApi } from "./routes/tasks";

type Env = { Variables: { deps: Deps; requestId: string; principal: ApiPrincipal } };

/**
 * The admin REST API under /api/v1, described by the OpenAPI document at /api/v1/openapi.json and shown
 * as a reference page at /api/v1/docs.
 */
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
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key; each operation names the scope it needs",
  });
  registerErrorComponents(api.openAPIRegistry);
  inboxApi(api);
  adminRouters(api);
  outboxApi(api);
  tasksApi(api);
  taskLimitsApi(api);
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Codex hub admin API", version: "1" },
    // Paths are written from /api/v1; a relative server URL resolves against where the document was fetched
    // (OpenAPI 3.1 §4.8.5), so it holds whatever host or PUBLIC_URL the hub is reached by.
    servers: [{ url: "/api/v1", description: "This hub" }],
    security: [{ bearer: [] }],
  });
  docsRoutes(api);
  return api;
}
