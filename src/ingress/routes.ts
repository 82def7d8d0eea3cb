import { Hono } from "hono";
import type { AppEnv } from "../app";
import type { Deps } from "../deps";
import { handleDelivery } from "./core";
import { githubPort } from "./github/port";

/** POST routes for every platform's webhooks; each is the shared core with that platform's port. */
export function webhookRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>();
  const { github } = deps.config;
  routes.post("/github", handleDelivery(githubPort, () => github.webhookSecrets));
  return routes;
}
