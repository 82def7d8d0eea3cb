import { type Config, loadConfig } from "../../src/config";

/** Known secrets for tests: current and previous (rotated) per platform. */
export const testSecrets = {
  adminToken: "test-admin-token-0123456789abcdef",
  encryptionKey: Buffer.alloc(32, 7).toString("base64"),
  executorSecret: "test-executor-secret",
  github: { current: "gh-current-secret", previous: "gh-previous-secret" },
  slack: { current: "slack-current-secret", previous: "slack-previous-secret" },
  linear: { current: "linear-current-secret", previous: "linear-previous-secret" },
};

/** The hub's settings in tests: an in-memory database, PUBLIC_URL http://hub.test and the secrets above. */
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
