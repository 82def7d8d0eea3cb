import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { createAdminApi } from "./admin/api";
import type { AppEnv } from "./context";
import type { Deps } from "./deps";
import { AppError, errorEnvelope } from "./errors";
import { webhookRoutes } from "./ingress/routes";
import { scimRoutes } from "./scim/app";
import { connectRoutes } from "./surfaces/github/connect-routes";
import { githubSetupRoutes } from "./surfaces/github/setup";
import { linearSetupRoutes } from "./surfaces/linear/setup";
import { slackSetupRoutes } from "./surfaces/slack/setup";
import { taskCallbackRoutes } from "./tasks/callbacks-route";
import { webAssetRoutes } from "./web/assets";
import { consoleRoutes } from "./web/console/routes";
import { opsRoutes } from "./web/ops";
import { sandboxRoutes } from "./web/sandbox";
import { signInRoutes } from "./web/sign-in";
import { taskPageRoutes } from "./web/task-page";

/** The Hono app: every route of the hub. Runtimes build `deps` and hand it in. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });

  app.route("/webhooks", webhookRoutes(deps));
  // Only a hub that hands tasks to a remote runner expects callbacks; elsewhere the route does not exist.
  if (deps.config.executor.kind === "http") app.route("/callbacks", taskCallbackRoutes());
  app.route("/", opsRoutes());
  app.route("/", signInRoutes());
  app.route("/", taskPageRoutes());
  app.route("/", consoleRoutes());
  app.route("/api/v1", createAdminApi());
  app.route("/scim/v2", scimRoutes());
  app.route("/connect", connectRoutes());
  app.route("/setup", githubSetupRoutes());
  app.route("/setup", linearSetupRoutes());
  app.route("/setup", slackSetupRoutes());
  if (deps.config.sandbox) app.route("/sandbox", sandboxRoutes());
  app.route("/assets", webAssetRoutes());

  app.notFound((c) =>
    c.json(errorEnvelope("not_found", `No route for ${c.req.method} ${c.req.path}.`, c.var.requestId), 404),
  );
  app.onError((error, c) => {
    const id = c.var.requestId ?? "unknown";
    if (error instanceof AppError) {
      return c.json(errorEnvelope(error.code, error.message, id, error.details), error.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(errorEnvelope("bad_request", error.message || "Bad request.", id), error.status);
    }
    deps.logger.error(
      { requestId: id, err: { name: error.name, message: error.message, stack: error.stack } },
      "unhandled error",
    );
    return c.json(
      errorEnvelope("internal", "The hub failed to handle this request; it has been logged.", id),
      500,
    );
  });
  return app;
}
