import { describe, expect, it } from "vitest";
import { CONSOLE_PATHS, TOGGLE_DENIALS } from "../../../src/access/messages";
import { CONSOLE_PAGES } from "../../../src/web/console/kit";
import { type SetupFacts, setupChecklist } from "../../../src/web/console/overview-checklist";

// The checklist is a pure function of facts: each case is a row.

const none = { configuredBy: [], linked: [], lastEventAt: null };
const base: SetupFacts = {
  sandbox: false,
  platforms: { slack: none, github: none, linear: none },
  githubAppAwaitingRestart: null,
  slackOAuth: false,
  linearOAuth: false,
  togglesOff: [],
  environments: 1,
  executor: { kind: "command", ready: true },
};
const statusOf = (facts: Partial<SetupFacts>) =>
  Object.fromEntries(setupChecklist({ ...base, ...facts }).map((s) => [s.id, s.status]));

describe("setupChecklist", () => {
  it.each([
    [
      "sandbox",
      { sandbox: true, executor: { kind: "command", ready: false } },
      { sandbox: "todo", executor: "optional" },
    ],
    ["no platform, live", {}, { platforms: "todo", "slack.configured": "optional" }],
    [
      "Slack bot token, linked, no event",
      {
        platforms: {
          ...base.platforms,
          slack: { configuredBy: ["SLACK_BOT_TOKEN"], linked: ["T1"], lastEventAt: null },
        },
      },
      { "slack.configured": "done", "slack.linked": "done", "slack.events": "todo" },
    ],
    [
      "GitHub App stored, not yet in use",
      { githubAppAwaitingRestart: "42" },
      { "github.configured": "todo" },
    ],
    ["executor missing, live", { executor: { kind: "command", ready: false } }, { executor: "todo" }],
    ["no environment", { environments: 0 }, { environment: "todo" }],
    [
      "cloud off",
      { togglesOff: [{ key: "codexCloud", name: "Allow members to use Codex cloud" }] },
      { "toggle.codexCloud": "todo" },
    ],
  ] as const)("%s", (_name, facts, expected) => {
    expect(statusOf(facts as Partial<SetupFacts>)).toMatchObject(expected);
  });

  it("sends each unfinished step somewhere", () => {
    const steps = setupChecklist({
      ...base,
      platforms: {
        ...base.platforms,
        linear: { configuredBy: ["LINEAR_CLIENT_ID/SECRET"], linked: [], lastEventAt: null },
      },
      linearOAuth: true,
      environments: 0,
      executor: { kind: "http", ready: false },
    });
    for (const step of steps.filter((s) => s.status === "todo")) expect(step.fix?.label).toBeTruthy();
    expect(steps.find((s) => s.id === "linear.linked")?.fix?.href).toBe("/setup/linear");
    expect(steps.find((s) => s.id === "executor")?.detail).toContain("HUB_EXECUTOR_URL");
  });
});

describe("denial messages", () => {
  it("name console pages that exist", () => {
    const pages = CONSOLE_PAGES.map((p) => p.href);
    for (const path of Object.values(CONSOLE_PATHS)) expect(pages).toContain(path);
    for (const denial of Object.values(TOGGLE_DENIALS).filter((d) => d.code !== "LOCAL_DISABLED")) {
      expect(denial.message).toMatch(/\(\/settings\)|\/codex settings set/);
      expect(denial.message).not.toContain("Workspace settings");
    }
  });
});
