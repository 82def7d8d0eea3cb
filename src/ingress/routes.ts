import { Hono } from "hono";
import type { AppEnv } from "../context";
import type { Deps } from "../deps";
import { handleDelivery } from "./core";
import { githubPort } from "./github/port";
import { linearPort } from "./linear/port";
import { slackCommandsPort } from "./slack/commands-port";
import { slackEventsPort } from "./slack/events-port";
import { slackInteractionsPort } from "./slack/interactions-port";

/** POST routes for every platform's webhooks; each is the shared core with that platform's port. */
export function webhookRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>();
  const { github, slack, linear } = deps.config;
  routes.post(
    "/github",
    handleDelivery(githubPort, () => github.webhookSecrets),
  );
  routes.post(
    "/slack/events",
    handleDelivery(slackEventsPort, () => slack.signingSecrets),
  );
  routes.post(
    "/slack/commands",
    handleDelivery(slackCommandsPort, () => slack.signingSecrets),
  );
  routes.post(
    "/slack/interactions",
    handleDelivery(slackInteractionsPort, () => slack.signingSecrets),
  );
  routes.post(
    "/linear",
    handleDelivery(linearPort, () => linear.webhookSecrets),
  );
  return routes;
}
