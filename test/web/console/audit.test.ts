import { afterEach, describe, expect, it } from "vitest";
import { decideAndRecord } from "../../../src/pipeline/access";
import { LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import { consolePeople } from "./people";

let hub: World;
afterEach(() => hub?.close());

/** The rows of the audit table as "actor action" pairs. */
const rowsOf = (html: string) =>
  [...html.matchAll(/<tr><td>[^<]*<\/td><td><code>([^<]+)<\/code><\/td><td>([^<]+)/g)].map(
    (m) => `${m[1]} ${m[2]}`,
  );

/** Two decisions on live traffic: an unknown Slack user, and the plain member asking to run a task. */
async function decisions(memberId: string) {
  const unknown = await decideAndRecord(hub.deps, {
    workspaceId: LOCAL_WORKSPACE_ID,
    actorLabel: "slack:U404",
    request: {
      actor: { memberId: null, platform: "slack", platformUserId: "U404" },
      surface: "slack",
      action: "task.run",
    },
  });
  const member = await decideAndRecord(hub.deps, {
    workspaceId: LOCAL_WORKSPACE_ID,
    actorLabel: `member:${memberId}`,
    request: { actor: { memberId, platform: "slack" }, surface: "slack", action: "task.run" },
  });
  return { unknown, member };
}

async function hubWithHistory() {
  hub = createWorld();
  const people = await consolePeople(hub);
  // A hub-wide change: API keys belong to no workspace.
  const key = await hub.request("/api/v1/api-keys", {
    method: "POST",
    headers: { ...hub.adminHeaders, "content-type": "application/json" },
    body: JSON.stringify({ name: "ci", scopes: ["admin"] }),
  });
  expect(key.status).toBe(201);
  return { people, ...(await decisions(people.ids.memberId)) };
}

describe("the audit page", () => {
  it("shows an owner changes, hub-wide changes and decisions with their codes, newest first", async () => {
    const { people, unknown } = await hubWithHistory();
    const page = await people.owner.get("/audit");
    expect(page.status).toBe(200);
    const html = await page.text();
    const rows = rowsOf(html);
    expect(rows[0]).toBe(`member:${people.ids.memberId} decision.task.run`);
    expect(rows[1]).toBe("slack:U404 decision.task.run");
    expect(rows).toContain("api_key:bootstrap api_key.create");
    expect(rows).toContain("api_key:bootstrap member.create");
    expect(html).toContain(`deny · ${unknown.code}`);
    expect(html).toContain(`href="/audit/decisions/${unknown.decisionId}"`);
    expect(html).toContain("before → after");
  });

  it("shows a Codex Admin the workspace's records but not the hub-wide ones, and refuses a member with a 403 page", async () => {
    const { people, unknown } = await hubWithHistory();
    const page = await people.admin.get("/audit");
    expect(page.status).toBe(200);
    const rows = rowsOf(await page.text());
    expect(rows).toContain("slack:U404 decision.task.run");
    expect(rows).not.toContain("api_key:bootstrap api_key.create");
    expect((await people.admin.get(`/audit/decisions/${unknown.decisionId}`)).status).toBe(200);

    for (const path of ["/audit", `/audit/decisions/${unknown.decisionId}`]) {
      const refused = await people.member.get(path);
      expect(refused.status).toBe(403);
      const html = await refused.text();
      expect(html).toContain("Only workspace owners and Codex Admins");
      expect(html).not.toContain("U404");
    }
  });

  it("filters by actor, action (or its start) and decision code", async () => {
    const { people, unknown, member } = await hubWithHistory();
    const list = async (query: string) => rowsOf(await (await people.owner.get(`/audit?${query}`)).text());
    expect(await list("actor=slack%3AU404")).toEqual(["slack:U404 decision.task.run"]);
    expect((await list("action=decision.")).sort()).toEqual(
      ["slack:U404 decision.task.run", `member:${people.ids.memberId} decision.task.run`].sort(),
    );
    expect(await list("action=api_key.create")).toEqual(["api_key:bootstrap api_key.create"]);
    // The action filter is a prefix taken literally: `_` and `%` are not wildcards.
    expect(await list("action=api%25")).toEqual([]);
    expect(await list(`code=${unknown.code}`)).toContain("slack:U404 decision.task.run");
    if (member.code !== unknown.code) {
      expect(await list(`code=${unknown.code}`)).not.toContain(
        `member:${people.ids.memberId} decision.task.run`,
      );
    }
  });

  it("shows a decision's verdict, reason and every check in the order it ran", async () => {
    const { people, unknown } = await hubWithHistory();
    const page = await people.owner.get(`/audit/decisions/${unknown.decisionId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`deny · ${unknown.code}`);
    expect(html).toContain(unknown.message.replaceAll("'", "&#39;"));
    const checks = [...html.matchAll(/<tr><td>\d+<\/td><td>([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(checks).toEqual(unknown.trace.map((t) => t.check));
    expect(checks.length).toBeGreaterThan(0);

    // A change is not a decision, and an unknown id is not found.
    expect((await people.owner.get("/audit/decisions/aud_nope")).status).toBe(404);
  });
});
