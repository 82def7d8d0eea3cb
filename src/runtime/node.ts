import { serve } from "@hono/node-server";
import pino from "pino";
import { ensureLocalWorkspace } from "../admin/workspaces";
import { ConfigError, loadConfig, missingSecrets } from "../config";
import type { Deps } from "../deps";
import { createHub } from "../hub";
import { systemClock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import { loadAppCredentials, withStoredGitHubApp } from "../surfaces/github/app-credentials";
import { createNodeExecutor } from "../tasks/executors/node-executors";
import { loadOrCreateDevSecrets } from "./dev-secrets";
import { openNodeDatabase } from "./node-db";
import { startOutboxLoop } from "./outbox-loop";
import { startProcessorLoop } from "./processor-loop";
import { startReviewFeedbackLoop } from "./review-feedback-loop";
import { startTaskLoop } from "./task-loop";

/** Node entry: `npm start`. Config → database (migrated) → hub → HTTP server + processor loop. */
async function main() {
  const env = process.env;
  let config: ReturnType<typeof loadConfig>;
  let devSecrets: ReturnType<typeof loadOrCreateDevSecrets> | undefined;
  try {
    const needsGenerated = missingSecrets(env).length > 0;
    devSecrets = needsGenerated
      ? loadOrCreateDevSecrets(env.HUB_DB_PATH?.trim() || "./data/hub.sqlite")
      : undefined;
    config = loadConfig(env, devSecrets?.secrets);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const logger = pino({
    level: config.logLevel,
    base: { service: "codex-hub" },
    // Belt and braces: secrets never reach the log even if a caller passes them by mistake.
    redact: {
      paths: ["*.token", "*.secret", "*.authorization", "*.privateKey", "headers.authorization"],
      censor: "[redacted]",
    },
  }) as unknown as Logger;

  if (devSecrets?.created) {
    const shown = missingSecrets(env).map((name) => `  ${name}=${devSecrets.secrets[name]}`);
    process.stdout.write(
      `Generated secrets for the variables you did not set (kept in ${devSecrets.path}; shown this once):\n${shown.join("\n")}\n`,
    );
  }

  const database = openNodeDatabase(config.dbPath);
  // A GitHub App created through /setup/github is used from the next start (the environment wins).
  config = withStoredGitHubApp(
    config,
    await loadAppCredentials(database, config.encryptionKey).catch((error: Error) => {
      logger.warn({ error: error.message }, "stored GitHub App credentials could not be opened");
      return null;
    }),
  );
  // The executor needs the hub's deps (tokens, PRs) and the hub needs the executor: tied through a getter.
  let deps: Deps | undefined;
  const executor = createNodeExecutor(config, process.env, () => deps!);
  const hub = createHub({ config, database, clock: systemClock, logger, executor });
  deps = hub.deps;
  // Before anything is served or processed: the workspace every event and API call resolves to.
  await ensureLocalWorkspace(hub.deps);
  const loop = startProcessorLoop(hub, logger);
  const outboxLoop = startOutboxLoop(hub, logger);
  const taskLoop = startTaskLoop(hub, logger);
  const feedbackLoop = startReviewFeedbackLoop(hub, logger);
  const server = serve({ fetch: hub.app.fetch, port: config.port }, (info) => {
    logger.info(
      { port: info.port, sandbox: config.sandbox, db: config.dbPath, publicUrl: config.publicUrl },
      config.sandbox ? "hub listening in sandbox mode" : "hub listening",
    );
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close();
    await loop.stop();
    await taskLoop.stop();
    await outboxLoop.stop();
    await feedbackLoop.stop();
    database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: Error) => {
  process.stderr.write(`The hub failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
