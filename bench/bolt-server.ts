import { App, LogLevel } from "@slack/bolt";

/**
 * The Bolt baseline for the Slack benchmark: @slack/bolt's `App` on its default HTTP receiver with a no-op
 * `app_mention` listener, as a user writes it. The token is a placeholder: the listener never calls Slack.
 */
const app = new App({
  signingSecret: process.env.BENCH_SECRET ?? "bench-secret",
  // What a single-workspace app's `token` resolves to, given directly so Bolt never calls `auth.test`.
  authorize: async () => ({
    botToken: "xoxb-bench-placeholder",
    botId: "B07CODEX01",
    botUserId: "U07CODEX01",
  }),
  logLevel: LogLevel.WARN,
});
app.event("app_mention", async () => {});
const server = await app.start(0);
const address = (server as { address(): unknown }).address();
process.stdout.write(
  `${JSON.stringify({ port: typeof address === "object" && address ? (address as { port: number }).port : 0 })}\n`,
);
