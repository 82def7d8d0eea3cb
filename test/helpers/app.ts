import { drizzle } from "drizzle-orm/better-sqlite3";
import { type Config, loadConfig } from "../../src/config";
import { inbox } from "../../src/db/schema/inbox";
import { createHub, type HubOptions } from "../../src/hub";
import { manualClock } from "../../src/lib/clock";
import { silentLogger } from "../../src/lib/logger";
import { writeHealth } from "../../src/lib/write-health";
import { nodeAssetLoader } from "../../src/runtime/node-assets";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { createNodeMetrics } from "../../src/runtime/node-metrics";
import { ensureLocalWorkspace } from "../../src/workspace/workspaces";

/** Known secrets for tests: current and previous (rotated) per platform. */
export const testSecrets = {
  adminToken: "test-admin-token-0123456789abcdef",
  encryptionKey: Buffer.alloc(32, 7).toString("base64"),
  executorSecret: "test-executor-secret",
  github: { current: "gh-current-secret", previous: "gh-previous-secret" },
  slack: { current: "slack-current-secret", previous: "slack-previous-secret" },
  linear: { current: "linear-current-secret", previous: "linear-previous-secret" },
};

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    HUB_DB_PATH: ":memory:",
    PUBLIC_URL: "http://hub.test",
    HUB_ADMIN_TOKEN: testSecrets.adminToken,
    HUB_ENCRYPTION_KEY: testSecrets.encryptionKey,
    HUB_EXECUTOR_SECRET: testSecrets.executorSecret,
    GITHUB_WEBHOOK_SECRET: testSecrets.github.current,
    GITHUB_WEBHOOK_SECRET_PREVIOUS: testSecrets.github.previous,
    SLACK_SIGNING_SECRET: testSecrets.slack.current,
    SLACK_SIGNING_SECRET_PREVIOUS: testSecrets.slack.previous,
    LINEAR_WEBHOOK_SECRET: testSecrets.linear.current,
    LINEAR_WEBHOOK_SECRET_PREVIOUS: testSecrets.linear.previous,
    ...env,
  });
}

/**
 * A whole hub on an in-memory database with a manual clock (starts at the real current time so signed
 * timestamps made with Date.now() are fresh). Platforms without a client given are sandbox recorders.
 */
export function createTestHub(
  overrides: Partial<Omit<HubOptions, "database">> & { env?: Record<string, string> } = {},
) {
  const clock = manualClock(Date.now());
  // As on Node's HTTP thread: the connection tells readiness when its writes start or stop failing.
  const writes = writeHealth(() => clock.now());
  const database = openNodeDatabase(":memory:", {
    onWriteOutcome: (failure) => writes.record("http", failure),
  });
  const hub = createHub({
    config: overrides.config ?? testConfig(overrides.env),
    database,
    clock: overrides.clock ?? clock,
    logger: overrides.logger ?? silentLogger,
    clients: overrides.clients,
    step: overrides.step,
    assets: nodeAssetLoader(),
    executor: overrides.executor,
    taskRunner: overrides.taskRunner,
    metrics: overrides.metrics ?? createNodeMetrics({ thread: "http" }).metrics,
    writes,
  });
  let seeded: Promise<void> | undefined;
  return {
    ...hub,
    database,
    clock,
    secrets: testSecrets,
    /** Sends a request through the whole app, as the HTTP server would. */
    request: (path: string, init?: RequestInit) => hub.app.request(path, init),
    inboxRows: () => drizzle(database.sqlite).select().from(inbox).all(),
    adminHeaders: { authorization: `Bearer ${testSecrets.adminToken}` },
    close: () => database.close(),
    /**
     * Seeds the local workspace as `npm start` does at boot (in sandbox mode, the demo's workspace too).
     * Started on first use, so tests that never await it run on an empty database.
     */
    get ready(): Promise<void> {
      seeded ??= ensureLocalWorkspace(hub.deps);
      return seeded;
    },
  };
}

export type TestHub = ReturnType<typeof createTestHub>;
