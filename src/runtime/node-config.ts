import { isMainThread } from "node:worker_threads";
import pino from "pino";
import { type Config, ConfigError, type GeneratedSecrets, loadConfig, missingSecrets } from "../config";
import type { Logger } from "../lib/logger";
import { loadOrCreateDevSecrets } from "./dev-secrets";

// What every thread needs first, kept apart from the hub (node-boot.ts): the inbox thread imports only this,
// the database and the inbox store, so it does not load the platforms' libraries it never calls.

/**
 * The configuration every thread starts from, with the secrets generated on a first start (the main thread
 * generates them and hands them to the others).
 */
export function loadNodeConfig(
  env: Record<string, string | undefined>,
  generated?: GeneratedSecrets,
): { config: Config; generated?: GeneratedSecrets; created: boolean; secretsPath?: string } {
  try {
    if (generated) return { config: loadConfig(env, generated), generated, created: false };
    const devSecrets =
      missingSecrets(env).length > 0
        ? loadOrCreateDevSecrets(env.HUB_DB_PATH?.trim() || "./data/hub.sqlite")
        : undefined;
    return {
      config: loadConfig(env, devSecrets?.secrets),
      generated: devSecrets?.secrets,
      created: devSecrets?.created ?? false,
      secretsPath: devSecrets?.path,
    };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/**
 * JSON lines on standard output. The main thread (HTTP, a line per delivery) writes without blocking: lines
 * logged while a write is under way go out together in the next one, and what is still buffered is written
 * when the process exits. The other threads write each line as it comes, so nothing of theirs waits in a
 * buffer when they are ended.
 */
export function createNodeLogger(config: Config, bindings: Record<string, unknown> = {}): Logger {
  const destination = pino.destination({ dest: 1, sync: !isMainThread });
  return pino(
    {
      level: config.logLevel,
      base: { service: "codex-hub", ...bindings },
      // Belt and braces: secrets never reach the log even if a caller passes them by mistake.
      redact: {
        paths: ["*.token", "*.secret", "*.authorization", "*.privateKey", "headers.authorization"],
        censor: "[redacted]",
      },
    },
    destination,
  ) as unknown as Logger;
}
