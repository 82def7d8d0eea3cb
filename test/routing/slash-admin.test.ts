import { describe, expect, it } from "vitest";
import { confirmationFor, isAdminCommand } from "../../src/routing/slash-admin-help";
import { parseSlashCommand } from "../../src/routing/slash-command";

// The administration commands' grammar: what people type, as data the handlers get.

describe("parseSlashCommand: administration commands", () => {
  const cases: Array<[string, unknown]> = [
    ["env show web", { kind: "env.show", environmentName: "web" }],
    ["env create docs-site acme/docs", { kind: "env.create", name: "docs-site", repository: "acme/docs" }],
    ["env visibility web private", { kind: "env.visibility", environmentName: "web", visibility: "private" }],
    [
      "env visibility web everyone",
      { kind: "env.visibility", environmentName: "web", visibility: "workspace" },
    ],
    [
      "env collaborators web add <@U0MAX|max>",
      {
        kind: "env.collaborators",
        environmentName: "web",
        add: true,
        person: { type: "user", slackUserId: "U0MAX", label: "max" },
      },
    ],
    [
      "env collaborators web remove max@acme.test",
      {
        kind: "env.collaborators",
        environmentName: "web",
        add: false,
        person: { type: "email", email: "max@acme.test" },
      },
    ],
    [
      "env internet web allow registry.npmjs.org, <http://pypi.org|pypi.org>",
      {
        kind: "env.internet",
        environmentName: "web",
        change: { type: "allow", domains: ["registry.npmjs.org", "pypi.org"] },
      },
    ],
    [
      "env internet web preset common-dependencies",
      {
        kind: "env.internet",
        environmentName: "web",
        change: { type: "preset", preset: "common-dependencies" },
      },
    ],
    [
      "env internet web methods get,post",
      { kind: "env.internet", environmentName: "web", change: { type: "methods", methods: ["GET", "POST"] } },
    ],
    ["env internet web off", { kind: "env.internet", environmentName: "web", change: { type: "off" } }],
    ["policy", { kind: "policy.list" }],
    [
      "policy assign Strict Sandbox Builders",
      { kind: "policy.assign", policy: "Strict Sandbox", group: { name: "Builders" } },
    ],
    [
      "policy assign Strict <!subteam^S1|@builders>",
      { kind: "policy.assign", policy: "Strict", group: { name: "builders", slackUsergroupId: "S1" } },
    ],
    ["policy fallback none", { kind: "policy.fallback", policy: "none" }],
    [
      "policy lookup <@U0MAX|max>",
      { kind: "policy.lookup", subject: { type: "user", slackUserId: "U0MAX", label: "max" } },
    ],
    ["review filters", { kind: "review.filters" }],
    ["review filters acme/web", { kind: "review.filters", repository: "acme/web" }],
    [
      'review filters acme/web labels wip, "do not review"',
      {
        kind: "review.filter",
        repository: "acme/web",
        change: { field: "labels", values: ["wip", "do not review"] },
      },
    ],
    [
      "review filters acme/web branches none",
      { kind: "review.filter", repository: "acme/web", change: { field: "branches", values: [] } },
    ],
    [
      "review filters acme/web priority p2",
      { kind: "review.filter", repository: "acme/web", change: { field: "priority", value: 2 } },
    ],
    [
      "review filters acme/web drafts review",
      { kind: "review.filter", repository: "acme/web", change: { field: "drafts", skip: false } },
    ],
    ["groups", { kind: "group.list" }],
    ["group show Builders", { kind: "group.show", group: { name: "Builders" } }],
    [
      "group roles Admins Codex Admin, Builder",
      { kind: "group.roles", group: { name: "Admins" }, roles: "Codex Admin, Builder" },
    ],
    ["group roles Admins none", { kind: "group.roles", group: { name: "Admins" }, roles: "" }],
    ["plugin list", { kind: "plugin.list" }],
    [
      "plugin policy Docs Codex Admin blocked",
      { kind: "plugin.policy", plugin: "Docs", role: "Codex Admin", policy: "none" },
    ],
  ];
  it.each(cases)("%s", (text, expected) => {
    expect(parseSlashCommand(text)).toEqual(expected);
  });

  it("answers bad arguments of a group with that group's help", () => {
    expect(parseSlashCommand("env teleport web")).toMatchObject({ kind: "help", topic: "env" });
    expect(parseSlashCommand("environments create")).toMatchObject({ kind: "help", topic: "env" });
    expect(parseSlashCommand("review filters acme/web priority P9")).toMatchObject({
      kind: "help",
      topic: "review",
    });
    expect(parseSlashCommand("help environments")).toEqual({ kind: "help", topic: "env" });
  });
});

describe("confirmation before destructive changes", () => {
  const needs = (text: string) => {
    const command = parseSlashCommand(text);
    return isAdminCommand(command) ? confirmationFor(command) : null;
  };
  it("asks before taking access away, widening internet access or replacing assignments", () => {
    for (const text of [
      "env visibility web private",
      "env collaborators web remove max@acme.test",
      "env internet web on",
      "policy assign Strict Builders",
      "policy fallback Strict",
      "group roles Admins Builder",
      "plugin policy Docs Builder blocked",
      "review filters acme/web branches main",
    ]) {
      expect(needs(text), text).toEqual(expect.any(String));
    }
  });
  it("applies additive and restrictive changes at once", () => {
    for (const text of [
      "env create x acme/x",
      "env collaborators web add max@acme.test",
      "env internet web off",
      "review filters acme/web priority P2",
      "plugin policy Docs Builder available",
      "settings set codex-local off",
    ]) {
      expect(needs(text), text).toBeNull();
    }
  });
});
