import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, missingSecrets } from "../../src/config";

const generated = {
  HUB_ADMIN_TOKEN: "generated-admin-token-xxxxxxxx",
  HUB_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  HUB_EXECUTOR_SECRET: "gen-exec",
  GITHUB_WEBHOOK_SECRET: "gen-gh",
  SLACK_SIGNING_SECRET: "gen-slack",
  LINEAR_WEBHOOK_SECRET: "gen-linear",
};

function problemsOf(env: Record<string, string>): Record<string, string> {
  try {
    loadConfig(env, generated);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return Object.fromEntries((error as ConfigError).problems.map((p) => [p.variable, p.message]));
  }
  throw new Error("expected the configuration to be rejected");
}

describe("config", () => {
  it("starts in sandbox mode with nothing set, using generated secrets and the documented defaults", () => {
    const config = loadConfig({}, generated);
    expect(config).toMatchObject({
      port: 8787,
      dbPath: "./data/hub.sqlite",
      publicUrl: "http://localhost:8787",
      sandbox: true,
      adminToken: generated.HUB_ADMIN_TOKEN,
      inbox: { retentionDays: 7 },
      github: { apiUrl: "https://api.github.com", webhookSecrets: ["gen-gh"] },
      slack: { apiUrl: "https://slack.com/api/", signingSecrets: ["gen-slack"] },
      linear: { apiUrl: "https://api.linear.app/graphql" },
      executor: { kind: "command" },
    });
    expect(missingSecrets({})).toHaveLength(6);
  });

  it("listens on 127.0.0.1 in sandbox mode and on every IPv4 interface otherwise, unless HOST says", () => {
    const live = {
      LINEAR_API_KEY: "lin_api_x",
      LINEAR_WEBHOOK_SECRET: "s",
      HUB_ENCRYPTION_KEY: generated.HUB_ENCRYPTION_KEY,
    };
    expect(loadConfig({}, generated).host).toBe("127.0.0.1");
    expect(loadConfig(live, generated).host).toBe("0.0.0.0");
    expect(loadConfig({ HOST: "0.0.0.0" }, generated).host).toBe("0.0.0.0");
    expect(loadConfig({ ...live, HOST: " 10.0.0.5 " }, generated).host).toBe("10.0.0.5");
  });

  it("puts the agents' egress proxy on any free loopback port unless HUB_EGRESS_PROXY_PORT names one", () => {
    expect(loadConfig({}, generated).egressProxy).toEqual({ port: 0 });
    expect(loadConfig({ HUB_EGRESS_PROXY_PORT: "3128" }, generated).egressProxy).toEqual({ port: 3128 });
    expect(problemsOf({ HUB_EGRESS_PROXY_PORT: "proxy" }).HUB_EGRESS_PROXY_PORT).toMatch(/port number/);
    expect(problemsOf({ HUB_EGRESS_PROXY_PORT: "70000" }).HUB_EGRESS_PROXY_PORT).toMatch(
      /between 0 and 65535/,
    );
  });

  it("runs the Node hub on three threads unless HUB_THREADS=1 asks for one", () => {
    expect(loadConfig({}, generated).threads).toBe(3);
    expect(loadConfig({ HUB_THREADS: "1" }, generated).threads).toBe(1);
    expect(loadConfig({ HUB_THREADS: " 3 " }, generated).threads).toBe(3);
    expect(problemsOf({ HUB_THREADS: "2" }).HUB_THREADS).toMatch(/must be 1 or 3/);
  });

  it("accepts a previous secret for rotation after the current one", () => {
    const config = loadConfig(
      { GITHUB_WEBHOOK_SECRET: "new", GITHUB_WEBHOOK_SECRET_PREVIOUS: "old" },
      generated,
    );
    expect(config.github.webhookSecrets).toEqual(["new", "old"]);
  });

  it("names every bad variable at once, with the reason", () => {
    const problems = problemsOf({
      PORT: "eighty",
      PUBLIC_URL: "hub.example.com",
      HUB_ENCRYPTION_KEY: "too-short",
      HUB_INBOX_RETENTION_DAYS: "0",
      HUB_EXECUTOR: "docker",
      SLACK_BOT_TOKEN: "xoxp-user-token",
    });
    expect(Object.keys(problems).sort()).toEqual(
      [
        "HUB_ENCRYPTION_KEY",
        "HUB_EXECUTOR",
        "HUB_INBOX_RETENTION_DAYS",
        "PORT",
        "PUBLIC_URL",
        "SLACK_BOT_TOKEN",
      ].sort(),
    );
    expect(problems.PORT).toMatch(/port number/);
    expect(problems.PUBLIC_URL).toMatch(/absolute http/);
    expect(problems.HUB_ENCRYPTION_KEY).toMatch(/32 random bytes/);
    expect(problems.SLACK_BOT_TOKEN).toMatch(/xoxb-/);
  });

  it("requires the secrets a live platform must share, since they cannot be generated", () => {
    const problems = problemsOf({ GITHUB_APP_ID: "123", SLACK_BOT_TOKEN: "xoxb-1", HUB_EXECUTOR: "http" });
    expect(problems).toMatchObject({
      GITHUB_PRIVATE_KEY: expect.stringMatching(/required/),
      GITHUB_WEBHOOK_SECRET: expect.stringMatching(/required/),
      SLACK_SIGNING_SECRET: expect.stringMatching(/required/),
      HUB_ENCRYPTION_KEY: expect.stringMatching(/sandbox/),
      HUB_EXECUTOR_URL: expect.stringMatching(/required/),
      HUB_EXECUTOR_SECRET: expect.stringMatching(/required/),
    });
    expect(problemsOf({ GITHUB_APP_ID: "abc" }).GITHUB_APP_ID).toMatch(/numeric/);
  });

  it("leaves sandbox mode once any platform credential is set", () => {
    const config = loadConfig(
      {
        LINEAR_API_KEY: "lin_api_x",
        LINEAR_WEBHOOK_SECRET: "s",
        HUB_ENCRYPTION_KEY: generated.HUB_ENCRYPTION_KEY,
      },
      generated,
    );
    expect(config.sandbox).toBe(false);
  });
});
