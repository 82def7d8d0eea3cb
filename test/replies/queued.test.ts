import { describe, expect, it } from "vitest";
import { describeStanding, ordinal, renderMarkdownQueued, renderSlackQueued } from "../../src/replies/queued";
import { explainWait, type ScopeUsage, type standingKey } from "../../src/tasks/standing";

// Where a waiting request stands, decided from its scopes' limits and usage, and said in plain words.

const MIDNIGHT = Date.UTC(2026, 0, 2);
const usage = (over: Partial<ScopeUsage>): ScopeUsage => ({
  scope: { type: "workspace" },
  maxRunning: 4,
  running: 0,
  ahead: 0,
  perDay: null,
  startedToday: 0,
  aheadOfKind: 0,
  ...over,
});

describe("explainWait", () => {
  it("is null when no limit holds the task", () => {
    expect(explainWait("task", [usage({ running: 3, ahead: 0 })], MIDNIGHT)).toBeNull();
  });

  it("names a full scope and the task's place in its line", () => {
    expect(explainWait("task", [usage({ running: 4, ahead: 2 })], MIDNIGHT)).toEqual({
      code: "running",
      scope: { type: "workspace" },
      limit: 4,
      position: 3,
    });
  });

  it("prefers the longest line among full scopes, then the narrower scope", () => {
    const env = { type: "environment" as const, id: "env_a", name: "alpha" };
    const member = { type: "member" as const, id: "mem_a" };
    const longer = explainWait(
      "task",
      [usage({ running: 4, ahead: 5 }), usage({ scope: env, maxRunning: 1, running: 1, ahead: 1 })],
      MIDNIGHT,
    );
    expect(longer).toMatchObject({ scope: { type: "workspace" }, position: 6 });
    const tie = explainWait(
      "task",
      [usage({ running: 4 }), usage({ scope: member, maxRunning: 1, running: 1 })],
      MIDNIGHT,
    );
    expect(tie).toMatchObject({ scope: member, position: 1 });
  });

  it("tells a daily limit first, counting the requests of its kind ahead", () => {
    const daily = explainWait(
      "review",
      [usage({ running: 4, ahead: 9, perDay: 10, startedToday: 8, aheadOfKind: 2 })],
      MIDNIGHT,
    );
    expect(daily).toEqual({
      code: "daily",
      scope: { type: "workspace" },
      kind: "review",
      limit: 10,
      used: 8,
      resetsAt: MIDNIGHT,
    });
    expect(
      explainWait("review", [usage({ perDay: 10, startedToday: 8, aheadOfKind: 1 })], MIDNIGHT),
    ).toBeNull();
  });
});

describe("describeStanding", () => {
  it("says the place in line and how many run at once, per scope", () => {
    const line = (scope: Parameters<typeof standingKey>[0]["scope"], position: number, limit: number) =>
      describeStanding({ code: "running", scope, position, limit });
    expect(line({ type: "workspace" }, 3, 4)).toBe("3rd in line; your workspace runs 4 tasks at a time.");
    expect(line({ type: "workspace" }, 1, 1)).toBe("Next in line; your workspace runs 1 task at a time.");
    expect(line({ type: "environment", id: "e", name: "api" }, 2, 2)).toBe(
      "2nd in line; the environment api runs 2 tasks at a time.",
    );
    expect(line({ type: "group", id: "g", name: "Contractors" }, 11, 1)).toBe(
      "11th in line; the group Contractors runs 1 task at a time.",
    );
    expect(line({ type: "member", id: "m" }, 2, 1)).toBe("2nd in line; you can run 1 task at a time.");
  });

  it("says a daily limit is used and when it starts over", () => {
    const base = { code: "daily" as const, resetsAt: MIDNIGHT };
    expect(
      describeStanding({ ...base, scope: { type: "workspace" }, kind: "task", limit: 50, used: 50 }),
    ).toBe("Your workspace has used its 50 tasks for today; this one starts after 00:00 UTC.");
    expect(
      describeStanding({ ...base, scope: { type: "member", id: "m" }, kind: "review", limit: 1, used: 1 }),
    ).toBe("You have used your 1 review for today; this one starts after 00:00 UTC.");
    expect(
      describeStanding({
        ...base,
        scope: { type: "group", id: "g", name: "Ops" },
        kind: "task",
        limit: 10,
        used: 8,
      }),
    ).toBe(
      "The group Ops has 2 of its 10 tasks for today left, and the requests ahead of this one take them; this one starts after 00:00 UTC.",
    );
  });

  it("is escaped for each surface, with the task page linked", () => {
    const standing = {
      code: "running" as const,
      scope: { type: "group" as const, id: "g", name: "*ops* <team>" },
      position: 2,
      limit: 1,
    };
    const slack = renderSlackQueued(standing, "http://hub.test/tasks/tsk_1");
    expect(slack.text).toContain("the group *ops* &lt;team&gt; runs");
    expect(slack.text).toContain("<http://hub.test/tasks/tsk_1|task page>");
    const markdown = renderMarkdownQueued(standing, "http://hub.test/tasks/tsk_1", "Review queued");
    expect(markdown).toBe(
      "⏳ **Review queued.** 2nd in line; the group \\*ops\\* \\<team\\> runs 1 task at a time. It starts on its own when its turn comes. [View the task](http://hub.test/tasks/tsk_1)",
    );
  });

  it("counts ordinals as people say them", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal)).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "101st",
      "111th",
    ]);
  });
});
