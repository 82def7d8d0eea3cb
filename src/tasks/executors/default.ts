import type { Config } from "../../config";
import type { Clock } from "../../lib/clock";
import { createHttpExecutor } from "./http";
import { type Executor, unavailableExecutor } from "./types";

/**
 * The executor a hub gets when its runtime gives none: `http` works everywhere (fetch and Web Crypto);
 * `command` and `codex` need child processes and are wired by src/runtime/node.ts.
 */
export function defaultExecutor(config: Config, clock: Clock): Executor {
  if (config.executor.kind === "http" && config.executor.url) {
    return createHttpExecutor({
      url: config.executor.url,
      secret: config.executor.secret,
      publicUrl: config.publicUrl,
      clock,
    });
  }
  return unavailableExecutor(
    config.executor.kind,
    `The ${config.executor.kind} executor needs the Node runtime; this hub can only use HUB_EXECUTOR=http.`,
  );
}
