import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRepositoryRef, parseSlashCommand } from "../../src/routing/slash-command";
import { WORKSPACE_TOGGLES } from "../../src/routing/slash-types";

describe("parseSlashCommand: every form", () => {
  const cases: Array<[string, unknown]> = [
    ["", { kind: "help" }],
    ["help", { kind: "help" }],
    ["help role", { kind: "help", topic: "role" }],
    ["whoami", { kind: "whoami" }],
    ["settings", { kind: "settings.show" }],
    ["settings show", { kind: "settings.show" }],
    ["settings set codex-local off", { kind: "settings.set", toggle: "codex-local", enabled: false }],
    [
      "settings set slack-full-answers on",
      { kind: "settings.set", toggle: "slack-full-answers", enabled: true },
    ],
    ["settings internet on", { kind: "settings.set", toggle: "agent-internet", enabled: true }],
    ["repo acme/api", { kind: "repo.show", repository: "acme/api" }],
    ["repo acme/api review off", { kind: "repo.review", repository: "acme/api", enabled: false }],
    ["repo acme/api auto-review on", { kind: "repo.auto-review", repository: "acme/api", enabled: true }],
    [
      "repo acme/api triggers opened,ready_for_review",
      { kind: "repo.triggers", repository: "acme/api", triggers: ["opened", "ready_for_review"] },
    ],
    [
      "repo acme/api triggers reopened synchronize, review_requested",
      {
        kind: "repo.triggers",
        repository: "acme/api",
        triggers: ["reopened", "synchronize", "review_requested"],
      },
    ],
    [
      "repo acme/api contributors all",
      { kind: "repo.contributors", repository: "acme/api", contributors: "all" },
    ],
    [
      "repo acme/api contributors opted-in",
      { kind: "repo.contributors", repository: "acme/api", contributors: "opted_in" },
    ],
    ["env list", { kind: "env.list" }],
    ["env", { kind: "env.list" }],
    ["env default api staging", { kind: "env.default", environmentName: "api staging" }],
    ["notify on", { kind: "notify", enabled: true }],
    ["notify off web", { kind: "notify", enabled: false, environmentName: "web" }],
    ["role list", { kind: "role.list" }],
    [
      "role grant codex-admin <@U0A1B2|ann>",
      {
        kind: "role.grant",
        role: "codex-admin",
        target: { type: "user", slackUserId: "U0A1B2", label: "ann" },
      },
    ],
    [
      "role revoke codex-admin platform",
      { kind: "role.revoke", role: "codex-admin", target: { type: "group", name: "platform" } },
    ],
    ["role default Codex Users", { kind: "role.default", role: "Codex Users" }],
    ["app list", { kind: "app.list" }],
    ["app enable slack", { kind: "app.set-enabled", app: "slack", enabled: true }],
    ["app disable Linear", { kind: "app.set-enabled", app: "Linear", enabled: false }],
    ["app mode github read-only", { kind: "app.mode", app: "github", mode: "read-only" }],
    ["app mode github read-write", { kind: "app.mode", app: "github", mode: "read-write" }],
    ["app mode My Tool confirm", { kind: "app.mode", app: "My Tool", mode: "confirm" }],
    [
      "policy lookup ann@acme.com",
      { kind: "policy.lookup", subject: { type: "email", email: "ann@acme.com" } },
    ],
    [
      "policy lookup Platform Team",
      { kind: "policy.lookup", subject: { type: "group", name: "Platform Team" } },
    ],
    ["review-my-prs on", { kind: "review-my-prs", enabled: true }],
    ["review-my-prs off", { kind: "review-my-prs", enabled: false }],
    ["explain evt_01HZX", { kind: "explain", id: "evt_01HZX" }],
    ["cancel tsk_42", { kind: "cancel", taskId: "tsk_42" }],
    ["limits", { kind: "limits.show" }],
    [
      "limits set tasks-per-day 50",
      { kind: "limits.set", field: "tasks-per-day", value: 50, target: { type: "workspace" } },
    ],
    [
      "limits set max-running 2 env api staging",
      {
        kind: "limits.set",
        field: "max-running",
        value: 2,
        target: { type: "environment", name: "api staging" },
      },
    ],
    [
      "limits set reviews off group Platform Team",
      {
        kind: "limits.set",
        field: "reviews-per-day",
        value: null,
        target: { type: "group", name: "Platform Team" },
      },
    ],
    [
      "limits set concurrent 1 for <@U0A1B2|ann>",
      {
        kind: "limits.set",
        field: "max-running",
        value: 1,
        target: { type: "user", slackUserId: "U0A1B2", label: "ann" },
      },
    ],
    [
      "limits set tasks 5 ann@acme.com",
      {
        kind: "limits.set",
        field: "tasks-per-day",
        value: 5,
        target: { type: "email", email: "ann@acme.com" },
      },
    ],
  ];
  it.each(cases)("%s", (text, expected) => {
    expect(parseSlashCommand(text)).toEqual(expected);
  });

  it("accepts every toggle by its own name", () => {
    for (const toggle of WORKSPACE_TOGGLES) {
      expect(parseSlashCommand(`settings set ${toggle} on`)).toEqual({
        kind: "settings.set",
        toggle,
        enabled: true,
      });
    }
  });

  it("accepts aliases for toggles, keywords and values", () => {
    expect(parseSlashCommand("SETTINGS SET Local OFF")).toMatchObject({
      toggle: "codex-local",
      enabled: false,
    });
    expect(parseSlashCommand("settings set code_review enabled")).toMatchObject({
      toggle: "code-review",
      enabled: true,
    });
    expect(parseSlashCommand("settings set linear-answers no")).toMatchObject({
      toggle: "linear-full-answers",
    });
    expect(parseSlashCommand("settings set github true")).toMatchObject({ toggle: "github-connector" });
    expect(parseSlashCommand("settings set zdr on")).toMatchObject({
      toggle: "zero-data-retention",
      enabled: true,
    });
    expect(parseSlashCommand("repo acme/api triggers ready-for-review")).toMatchObject({
      triggers: ["ready_for_review"],
    });
    expect(parseSlashCommand("app mode slack rw")).toMatchObject({ mode: "read-write" });
    expect(parseSlashCommand("review my prs off")).toEqual({ kind: "review-my-prs", enabled: false });
    expect(parseSlashCommand("/codex whoami")).toEqual({ kind: "whoami" });
  });

  it("asks whose limit a bare name is, and refuses what is not a limit or a number", () => {
    expect(parseSlashCommand("limits set max-running 2 web")).toMatchObject({
      kind: "help",
      error: expect.stringContaining("`env web` or `group web`"),
    });
    expect(parseSlashCommand("limits set speed 2")).toMatchObject({
      kind: "help",
      error: expect.stringContaining("Unknown limit `speed`"),
    });
    expect(parseSlashCommand("limits set tasks-per-day lots")).toMatchObject({
      kind: "help",
      error: expect.stringContaining("Expected a number or `off`"),
    });
  });

  it("drops repeated trigger events", () => {
    expect(parseSlashCommand("repo a/b triggers opened opened,opened")).toMatchObject({
      triggers: ["opened"],
    });
  });
});

describe("parseSlashCommand: Slack's wrapped text", () => {
  it("unwraps user, user group and email references", () => {
    expect(parseSlashCommand("role grant admin <@W123ABC>")).toMatchObject({
      target: { type: "user", slackUserId: "W123ABC" },
    });
    expect(parseSlashCommand("role grant admin <!subteam^S0123|@platform>")).toMatchObject({
      target: { type: "group", name: "platform", slackUsergroupId: "S0123" },
    });
    expect(parseSlashCommand("role revoke admin <mailto:bo@acme.com|bo@acme.com>")).toMatchObject({
      target: { type: "email", email: "bo@acme.com" },
    });
    expect(parseSlashCommand("policy lookup <mailto:bo@acme.com|bo@acme.com>")).toEqual({
      kind: "policy.lookup",
      subject: { type: "email", email: "bo@acme.com" },
    });
  });

  it("reads repositories given as Slack links or GitHub URLs", () => {
    expect(parseSlashCommand("repo <https://github.com/acme/api|github.com/acme/api>")).toEqual({
      kind: "repo.show",
      repository: "acme/api",
    });
    expect(parseSlashCommand("repo https://github.com/acme/api.git review on")).toMatchObject({
      repository: "acme/api",
    });
  });

  it("decodes entities and keeps quoted names whole, curly quotes included", () => {
    expect(parseSlashCommand("env default R&amp;D")).toEqual({ kind: "env.default", environmentName: "R&D" });
    expect(parseSlashCommand('role grant "Codex Admins" qa')).toMatchObject({ role: "Codex Admins" });
    expect(parseSlashCommand("role grant “Codex Admins” qa")).toMatchObject({ role: "Codex Admins" });
  });
});

describe("parseSlashCommand: malformed input becomes help with the reason", () => {
  const bad: Array<[string, RegExp]> = [
    ["frobnicate", /Unknown command `frobnicate`/],
    ["help nonsense", /No help topic/],
    ["whoami now", /Unexpected `now`/],
    ["settings set", /Name a switch/],
    ["settings set warp-drive on", /Unknown switch `warp-drive`/],
    ["settings set codex-local maybe", /Expected `on` or `off`, got `maybe`/],
    ["settings set codex-local on please", /Unexpected `please`/],
    ["repo", /Name a repository/],
    ["repo acme", /not a repository/],
    ["repo acme/api/extra", /not a repository/],
    ["repo acme/api review", /Usage/],
    ["repo acme/api teleport on", /Unknown repository setting `teleport`/],
    ["repo acme/api triggers", /at least one event/],
    ["repo acme/api triggers opened,merged", /Unknown event `merged`/],
    ["repo acme/api contributors some", /Expected `all` or `opted-in`/],
    ["env default", /Name an environment/],
    ["env delete x", /Unknown `env delete`/],
    ["notify", /Usage/],
    ["notify maybe", /got `maybe`/],
    ["role grant admin", /Name a role and a person or group/],
    ["role grant admin @bob", /did not resolve `@bob`/],
    ["role grant admin <#C123|general>", /neither a person nor a group/],
    ["role promote x", /Unknown `role promote`/],
    ["role default", /Name a role/],
    ["app enable", /Name an app/],
    ["app mode slack", /Name an app|Expected one of/],
    ["app mode slack sideways", /Expected one of read-only, read-write, confirm/],
    ["app frobnicate", /Unknown `app frobnicate`/],
    ["policy revoke x", /Unknown `policy revoke`/],
    ["env create web", /Name the environment and its repository/],
    ["env visibility web engineering", /no group visibility/],
    ["env collaborators web invite <@U1|a>", /Say add or remove/],
    ["env collaborators web add platform-team", /Name a person/],
    ["env internet web sometimes", /Usage/],
    ["env internet web methods", /Name the HTTP methods/],
    ["review filters acme/api priority P7", /P0 \(most severe\) to P3/],
    ["review filters acme/api drafts maybe", /drafts skip/],
    ["review filters acme/api colour blue", /Unknown review filter `colour`/],
    ["group roles Builders", /Name the roles/],
    ["group rename x", /Unknown `group rename`/],
    ["plugin policy Docs Builder sometimes", /Usage/],
    ["policy lookup", /Name an email or a group/],
    ["review-my-prs", /Usage/],
    ["explain", /Usage/],
    ["explain a b", /Unexpected `b`/],
    ["cancel ../../etc", /not a task or event id/],
  ];
  it.each(bad)("%s", (text, message) => {
    const parsed = parseSlashCommand(text);
    expect(parsed.kind).toBe("help");
    expect(parsed.kind === "help" && parsed.error).toMatch(message);
  });

  it("never throws, whatever it is given", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const parsed = parseSlashCommand(text);
        expect(typeof parsed.kind).toBe("string");
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            "repo",
            "role",
            "grant",
            "<@U1|a>",
            "<",
            ">",
            "&amp;",
            '"',
            "“",
            "on",
            "a/b",
            "app",
            "mode",
          ),
          {
            maxLength: 8,
          },
        ),
        (words) => {
          expect(() => parseSlashCommand(words.join(" "))).not.toThrow();
        },
      ),
    );
  });
});

describe("parseRepositoryRef", () => {
  it("reads owner/name and GitHub URLs, rejects the rest", () => {
    expect(parseRepositoryRef("acme/api")).toBe("acme/api");
    expect(parseRepositoryRef("vercel/next.js")).toBe("vercel/next.js");
    expect(parseRepositoryRef("https://github.com/acme/api/pull/12")).toBe("acme/api");
    expect(parseRepositoryRef("github.com/acme/api")).toBe("acme/api");
    expect(parseRepositoryRef("https://gitlab.com/acme/api")).toBeNull();
    expect(parseRepositoryRef("-acme/api")).toBeNull();
    expect(parseRepositoryRef("acme/..")).toBeNull();
    expect(parseRepositoryRef("acme")).toBeNull();
  });
});
