import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { apps } from "../../src/db/schema/access";
import { githubReviewOptIns } from "../../src/db/schema/github";
import { slackChannelDefaults } from "../../src/db/schema/slack";
import { workspaces } from "../../src/db/schema/workspaces";
import { listSubscriptions } from "../../src/notify/subscriptions";
import { deliverDue } from "../../src/outbox/worker";
import { getRepoReviewSettings } from "../../src/workspace/github-settings";
import { listRoles } from "../../src/workspace/roles";
import { getSnapshot } from "../../src/workspace/snapshot";
import { getTaskLimits } from "../../src/workspace/task-limits";
import { useWorld, type World } from "../helpers/world";
import { type Person, seedAcme, slackWorld, WS } from "./acme";
import { BOT, command, mention } from "./requests";
import type { SlackFake } from "./slack-fake";

// Every `/codex` subcommand run by an owner, a Codex Admin, a member and someone unknown: allowed runs answer
// (writes change state and are audited, answered with before → after); refused runs change nothing.

let hub: World;
let fakes: SlackFake;
let seeded: Awaited<ReturnType<typeof seedAcme>>;
useWorld(
  (server) => slackWorld(server, { agent: () => "done" }),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  seeded = await seedAcme(hub, {}, { linkSlack: true });
});

type Level = "owner" | "codex_admin" | "member";
const ROLES: { role: string; user: Person; level: Level | null }[] = [
  { role: "owner", user: "U0OLGA", level: "owner" },
  { role: "Codex Admin", user: "U0ADA", level: "codex_admin" },
  { role: "member", user: "U0MAX", level: "member" },
  { role: "unknown", user: "U0EVE", level: null },
];
const RANK: Level[] = ["member", "codex_admin", "owner"];
const allows = (caller: Level | null, needed: Level) =>
  caller !== null && RANK.indexOf(caller) >= RANK.indexOf(needed);

interface Prepared {
  taskId?: string;
}

interface Case {
  name: string;
  text: string | ((p: Prepared) => string);
  needs: Level;
  /** For writes: the state the command changes, and the audit actions it must leave. */
  state?: () => Promise<unknown>;
  audits?: string[];
  /** What an allowed answer says. */
  says: RegExp;
  prepare?: () => Promise<Prepared>;
}

const workspaceRow = async () =>
  (await hub.database.db.select().from(workspaces).where(eq(workspaces.id, WS)))[0]!;
const appRow = async (kind: "linear" | "github") =>
  (
    await hub.database.db
      .select()
      .from(apps)
      .where(and(eq(apps.workspaceId, WS), eq(apps.kind, kind)))
  )[0]!;
const reviewSettings = async () => (await getRepoReviewSettings(hub.deps, WS, "acme/web")).settings;

/** A queued task of Max's (the member), started by a mention. */
async function maxTask(): Promise<Prepared> {
  await mention(hub, { user: "U0MAX", text: `<@${BOT}> fix it in acme/web` });
  await hub.processor.drain();
  const [task] = await hub.tasks();
  return { taskId: task!.id };
}

const CASES: Case[] = [
  {
    name: "whoami",
    text: "whoami",
    needs: "member",
    says: /@acme\.test\*: .*\n• Roles: .*\n• Permissions: .*Linked: Slack/s,
  },
  { name: "settings", text: "settings", needs: "member", says: /`codex-cloud` \*on\*/ },
  {
    name: "settings set",
    text: "settings set slack-full-answers on",
    needs: "owner",
    state: async () => (await workspaceRow()).slackFullAnswers,
    audits: ["toggles.update"],
    says: /slack-full-answers .*: `off` → `on`/,
  },
  { name: "repo", text: "repo acme/web", needs: "member", says: /Code review for acme\/web/ },
  {
    name: "repo review",
    text: "repo acme/web review off",
    needs: "codex_admin",
    state: async () => (await reviewSettings()).reviewEnabled,
    audits: ["github.review_settings.update"],
    says: /Code review of acme\/web: `on` → `off`/,
  },
  {
    name: "repo auto-review",
    text: "repo acme/web auto-review off",
    needs: "codex_admin",
    state: async () => (await reviewSettings()).autoReview,
    audits: ["github.review_settings.update"],
    says: /Automatic reviews of acme\/web: `on` → `off`/,
  },
  {
    name: "repo triggers",
    text: "repo acme/web triggers opened,synchronize",
    needs: "codex_admin",
    state: async () => (await reviewSettings()).triggers,
    audits: ["github.review_settings.update"],
    says: /`opened, ready_for_review` → `opened, synchronize`/,
  },
  {
    name: "repo contributors",
    text: "repo acme/web contributors opted-in",
    needs: "codex_admin",
    state: async () => (await reviewSettings()).contributors,
    audits: ["github.review_settings.update"],
    says: /`all` → `opted-in`/,
  },
  { name: "env list", text: "env list", needs: "member", says: /\*api\* \(acme\/api\)/ },
  {
    name: "env default",
    text: "env default web",
    needs: "codex_admin",
    state: async () => hub.database.db.select().from(slackChannelDefaults),
    audits: ["slack.channel_default"],
    says: /default environment: `none` → `web`/,
  },
  {
    name: "notify",
    text: "notify on web",
    needs: "codex_admin",
    state: () => listSubscriptions(hub.deps, { workspaceId: WS }),
    audits: ["notify.subscribe"],
    says: /notices in this channel: `none` → `web`/,
  },
  {
    name: "role list",
    text: "role list",
    needs: "codex_admin",
    says: /\*Builder\*: codex_cloud; groups: Builders/,
  },
  {
    name: "role grant",
    text: "role grant Codex Admin <@U0MAX|max>",
    needs: "owner",
    state: async () => [...((await getSnapshot(hub.deps, WS)).members.get(seeded.ids.U0MAX)?.roleIds ?? [])],
    audits: ["group.create", "role.assign"],
    says: /Roles of <@U0MAX>: `Builder` → `Builder, Codex Admin`/,
  },
  {
    name: "role revoke",
    text: "role revoke Builder Builders",
    needs: "owner",
    state: async () => (await listRoles(hub.deps, WS)).find((r) => r.name === "Builder")?.groupIds,
    audits: ["role.unassign"],
    says: /Groups with Builder: `Builders` → `none`/,
  },
  {
    name: "role default",
    text: "role default Builder",
    needs: "owner",
    state: async () => (await workspaceRow()).defaultRoleId,
    audits: ["role.default"],
    says: /The default role: `none` → `Builder`/,
  },
  {
    name: "app list",
    text: "app list",
    needs: "member",
    says: /\*Slack\* \(slack\): enabled, published, read-write/,
  },
  {
    name: "app disable",
    text: "app disable linear",
    needs: "owner",
    state: async () => (await appRow("linear")).enabled,
    audits: ["app.update"],
    says: /Linear: `enabled` → `disabled`/,
  },
  {
    name: "app mode",
    text: "app mode github confirm",
    needs: "owner",
    state: async () => {
      const { mode, confirmWrites } = await appRow("github");
      return { mode, confirmWrites };
    },
    audits: ["app.update"],
    says: /GitHub: `read-write` → `confirm`/,
  },
  {
    name: "policy lookup",
    text: "policy lookup max@acme.test",
    needs: "codex_admin",
    says: /Managed policy for max@acme\.test: no managed policy/,
  },
  {
    name: "review-my-prs",
    text: "review-my-prs on",
    needs: "member",
    state: () => hub.database.db.select().from(githubReviewOptIns),
    audits: ["github.review_opt_in.update"],
    says: /your own pull requests: `off` → `on`/,
  },
  {
    name: "explain (Max's task)",
    text: (p) => `explain ${p.taskId}`,
    needs: "member",
    prepare: maxTask,
    says: /✅ \*Allowed\*: `task\.run`.*\n.*\n✓ \*actor\*/s,
  },
  {
    name: "cancel (Max's task)",
    text: (p) => `cancel ${p.taskId}`,
    needs: "member",
    prepare: maxTask,
    state: async () => (await hub.tasks())[0]?.status,
    audits: ["task.cancel"],
    says: /Task tsk_\w+: `queued` → `cancelled`/,
  },
  { name: "limits", text: "limits", needs: "member", says: /Workspace: 4 at a time \(2 per environment\)/ },
  {
    name: "limits set",
    text: "limits set tasks-per-day 50",
    needs: "owner",
    state: () => getTaskLimits(hub.deps, WS),
    audits: ["task_limits.change"],
    says: /Tasks per day in the workspace: `none` → `50`/,
  },
];

/** Audit records that are changes (decisions and first-contact identity links are not). */
const changes = async () =>
  (await hub.audit())
    .filter((a) => !a.action.startsWith("decision."))
    .map((a) => ({ id: a.id, action: a.action }));

async function run(text: string, user: Person): Promise<string> {
  const { res, responseUrl } = await command(hub, text, user);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe("");
  await hub.processor.drain();
  await deliverDue(hub.deps);
  const answers = fakes.responses.filter((r) => r.url === responseUrl);
  expect(answers).toHaveLength(1);
  expect(answers[0]!.body.response_type).toBe("ephemeral");
  return String(answers[0]!.body.text);
}

describe.each(CASES)("/codex $name", (c) => {
  it.each(ROLES)("run by $role", async ({ user, level }) => {
    const prepared = (await c.prepare?.()) ?? {};
    const before = await c.state?.();
    const changesBefore = await changes();
    const text = typeof c.text === "function" ? c.text(prepared) : c.text;
    const answer = await run(text, user);
    const made = (await changes())
      .filter((a) => !changesBefore.some((b) => b.id === a.id))
      .map((a) => a.action);

    if (allows(level, c.needs)) {
      expect(answer).toMatch(c.says);
      if (c.state) {
        expect(await c.state()).not.toEqual(before);
        for (const action of c.audits ?? []) expect(made).toContain(action);
      } else {
        expect(made).toEqual([]);
      }
    } else {
      expect(answer).toMatch(
        level === null
          ? /not linked to a member of this workspace/
          : /needs a (Codex Admin|workspace owner) or above/,
      );
      expect(made).toEqual([]);
      if (c.state) expect(await c.state()).toEqual(before);
      const refusal = (await hub.audit()).find((a) => a.action === "decision.slack.command");
      expect(refusal?.code).toBe(
        level === null ? "UNKNOWN_ACTOR" : c.needs === "owner" ? "NOT_OWNER" : "NOT_CODEX_ADMIN",
      );
    }
  });
});

describe("/codex help and unreadable input", () => {
  it.each(ROLES)("help lists only what the $role may run", async ({ user, level }) => {
    const answer = await run("help", user);
    if (level === null) {
      expect(answer).toContain("not linked to a member of this workspace");
      return;
    }
    expect(answer).toContain("/codex whoami");
    expect(/\/codex (help role|role list)/.test(answer)).toBe(allows(level, "codex_admin"));
    expect(answer.includes("/codex help group")).toBe(allows(level, "codex_admin"));
    expect(answer.includes("(show, set)")).toBe(level === "owner");
  });

  it("answers unknown input with help, never an error", async () => {
    const answer = await run("frobnicate the widgets", "U0MAX");
    expect(answer).toContain("Unknown command `frobnicate`");
    expect(answer).toContain("/codex whoami");
    expect(await run("settings set codex-cloud maybe", "U0OLGA")).toContain("Expected `on` or `off`");
    expect((await workspaceRow()).codexCloud).toBe(true);
  });
});
