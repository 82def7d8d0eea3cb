import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { apps, identities } from "../../src/db/schema/access";
import { auditLog } from "../../src/db/schema/audit";
import { linearTeamEnvironments } from "../../src/db/schema/linear";
import { workspaceLinks, workspaces } from "../../src/db/schema/workspaces";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { useMockServer } from "../helpers/mock-server";
import { type LinearWorld, linearWorld, seedAcme, WS } from "./acme";
import { ADA, SESSION, TEAM } from "./linear-fake";

const server = useMockServer();
let hub: LinearWorld;
afterEach(() => hub?.close());

async function world() {
  hub = linearWorld(server);
  await seedAcme(hub);
  await hub.database.db
    .insert(linearTeamEnvironments)
    .values({ workspaceId: WS, teamId: TEAM, environmentId: "env_web", updatedAt: hub.clock.now() });
}

const cases: [string, () => Promise<void>, RegExp][] = [
  [
    "a Linear user whose email is no member's",
    async () => {
      hub.fake.emails[ADA] = "stranger@elsewhere.example";
    },
    /doesn't recognise your Linear account/,
  ],
  [
    "Codex cloud turned off",
    async () => {
      await hub.database.db.update(workspaces).set({ codexCloud: false }).where(eq(workspaces.id, WS));
      await invalidateSnapshot(hub.deps, WS);
    },
    /Codex cloud is turned off/,
  ],
  [
    "the Linear app disabled",
    async () => {
      await hub.database.db.update(apps).set({ enabled: false }).where(eq(apps.kind, "linear"));
      await invalidateSnapshot(hub.deps, WS);
    },
    /The Linear app is disabled/,
  ],
  [
    "no GitHub account connected",
    async () => {
      await hub.database.db
        .delete(identities)
        .where(and(eq(identities.memberId, "mem_ada"), eq(identities.platform, "github")));
      await invalidateSnapshot(hub.deps, WS);
    },
    /needs your GitHub account[\s\S]*Mention @Codex in Slack/,
  ],
  [
    "GitHub saying the person cannot read the repository",
    async () => {
      await hub.database.db
        .update(identities)
        .set({ externalId: "nope-gh", display: "nope-gh" })
        .where(and(eq(identities.memberId, "mem_ada"), eq(identities.platform, "github")));
      await invalidateSnapshot(hub.deps, WS);
    },
    /GitHub says you don't have access to acme\/web/,
  ],
];

describe("denials in an agent session", () => {
  it.each(cases)(
    "refuses %s with one error activity giving the reason and the next step, and no task",
    async (_label, arrange, reason) => {
      await world();
      await arrange();
      await hub.deliver("agent-session-created");
      await hub.settle();
      expect(await hub.tasks()).toHaveLength(0);
      const activities = hub.activities();
      expect(activities.map((a) => a.content.type)).toEqual(["thought", "error"]);
      const body = activities[1]!.content.body as string;
      expect(activities[1]!.agentSessionId).toBe(SESSION);
      expect(body).toMatch(reason);
      expect(body).toContain("**Next step:**");
      // Never a personal connect link in a place others can read.
      expect(body).not.toContain("sig=");
      // The decision is on record, and the reply names it.
      const [decision] = await hub.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.action, "decision.task.run"));
      expect(decision).toBeDefined();
      expect(body).toContain(decision!.id);
    },
  );

  it("refuses when the Linear organization is linked to no workspace", async () => {
    await world();
    await hub.database.db.delete(workspaceLinks).where(eq(workspaceLinks.kind, "linear_org"));
    await hub.deliver("agent-session-created");
    await hub.settle();
    expect(await hub.tasks()).toHaveLength(0);
    const activities = hub.activities();
    expect(activities.map((a) => a.content.type)).toEqual(["thought", "error"]);
    expect(activities[1]!.content.body).toContain("isn't connected to a Codex workspace");
    expect(activities[1]!.content.body).toContain("/setup/linear");
  });
});

describe("denials outside agent sessions", () => {
  it("answers a refused comment mention with one comment in its thread, and no task", async () => {
    await world();
    await hub.database.db.update(workspaces).set({ codexCloud: false }).where(eq(workspaces.id, WS));
    await invalidateSnapshot(hub.deps, WS);
    await hub.deliver("comment-create");
    await hub.settle();
    expect(await hub.tasks()).toHaveLength(0);
    const comments = hub.comments();
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ parentId: "c0ffee00-1111-4222-8333-444455556666" });
    expect(comments[0]!.body).toMatch(/Codex cloud is turned off[\s\S]*\*\*Next step:\*\*/);
  });
});
