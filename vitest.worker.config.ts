import { generateKeyPairSync } from "node:crypto";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// The Workers deployment's tests, run inside workerd (the runtime Cloudflare runs) with local D1 and Queues
// from Miniflare: `npm run test:worker`. The same wrangler.toml as `wrangler deploy`; the same migrations.
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  // A GitHub App key for the tests that talk to the GitHub fake (which never checks the App's JWTs).
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            TEST_GITHUB_PRIVATE_KEY: privateKey,
            PUBLIC_URL: "http://hub.test",
            HUB_LOG_LEVEL: "error",
            HUB_EXECUTOR_URL: "http://runner.test/tasks",
            HUB_ADMIN_TOKEN: "test-admin-token-0123456789abcdef",
            HUB_ENCRYPTION_KEY: "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
            HUB_EXECUTOR_SECRET: "test-executor-secret",
            GITHUB_WEBHOOK_SECRET: "gh-current-secret",
            SLACK_SIGNING_SECRET: "slack-current-secret",
            LINEAR_WEBHOOK_SECRET: "linear-current-secret",
          },
        },
      }),
    ],
    test: {
      include: ["test/workerd/**/*.test.ts"],
      setupFiles: ["./test/workerd/apply-migrations.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
