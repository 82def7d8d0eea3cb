import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { tasks } from "../../../src/db/schema/tasks";
import { LOCAL_OWNER_ID, LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import { storeTask } from "../tasks";
import { consolePeople } from "./people";

let hub: World;
afterEach(() => hub?.close());

/** The task titles a list page links to, in order, with the task page each links to. */
const linked = (html: string) =>
  [...html.matchAll(/<a href="\/tasks\/([^"]+)">([^<]+)<\/a>/g)].map((m) => ({ id: m[1]!, title: m[2]! }));
const titles = (html: string) => linked(html).map((t) => t.title);

async function environment(name: string, visibility: "workspace" | "private") {
  const res = await hub.request(`/api/v1/workspaces/${LOCAL_WORKSPACE_ID}/environments`, {
    method: "POST",
    headers: { ...hub.adminHeaders, "content-type": "application/json" },
    body: JSON.stringify({ name, repository: `acme/${name}`, visibility, creatorId: LOCAL_OWNER_ID }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const task = (title: string, requesterMemberId: string, environmentId: string | null) =>
  storeTask(hub, {
    workspaceId: LOCAL_WORKSPACE_ID,
    environmentId,
    requesterMemberId,
    answer: "done",
    title,
  });

describe("the task list", () => {
  it("shows owners and Codex Admins every task, and a member only what the task page would show them", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const open = await environment("web", "workspace");
    const secret = await environment("vault", "private");
    await task("Open environment task", LOCAL_OWNER_ID, open);
    await task("Private environment task", LOCAL_OWNER_ID, secret);
    // Asked for by the member, but in an environment they cannot see: the task page refuses it, so does the list.
    await task("Member task in the vault", people.ids.memberId, secret);
    await task("Member task without environment", people.ids.memberId, null);

    const all = [
      "Member task without environment",
      "Member task in the vault",
      "Private environment task",
      "Open environment task",
    ];
    for (const who of [people.owner, people.admin]) {
      const page = await who.get("/tasks");
      expect(page.status).toBe(200);
      expect(titles(await page.text()).sort()).toEqual([...all].sort());
    }
    const page = await people.member.get("/tasks");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(titles(html).sort()).toEqual(["Member task without environment", "Open environment task"]);
    // The environment filter offers a member only the environments they can see.
    expect(html).toContain(`<option value="${open}">web</option>`);
    expect(html).not.toContain(secret);

    // Every row links to its task page, which agrees.
    for (const { id } of linked(html)) expect((await people.member.get(`/tasks/${id}`)).status).toBe(200);
  });

  it("filters by status, surface, environment and requester", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const web = await environment("web", "workspace");
    const failed = await task("Failed one", LOCAL_OWNER_ID, web);
    await hub.database.db.update(tasks).set({ status: "failed" }).where(eq(tasks.id, failed));
    const fromSlack = await task("From Slack", people.ids.memberId, null);
    const origin = { surface: "slack", teamId: "T1", channel: "C1", threadTs: "1.0", messageTs: "1.0" };
    await hub.database.db
      .update(tasks)
      .set({ origin: JSON.stringify({ ...origin, externallyShared: false }) })
      .where(eq(tasks.id, fromSlack));
    await task("Plain API task", LOCAL_OWNER_ID, null);

    const list = async (query: string) => titles(await (await people.owner.get(`/tasks?${query}`)).text());
    expect(await list("status=failed")).toEqual(["Failed one"]);
    expect(await list("surface=slack")).toEqual(["From Slack"]);
    expect((await list("surface=api")).sort()).toEqual(["Failed one", "Plain API task"]);
    expect(await list(`environment=${web}`)).toEqual(["Failed one"]);
    expect(await list(`requester=${people.ids.memberId}`)).toEqual(["From Slack"]);
    expect(await list(`status=completed&requester=${LOCAL_OWNER_ID}`)).toEqual(["Plain API task"]);
    // An unknown value is no filter at all rather than an error.
    expect(await list("status=bogus")).toHaveLength(3);
    // The form shows the filter in force.
    const html = await (await people.owner.get("/tasks?status=failed")).text();
    expect(html).toContain('<option value="failed" selected="">failed</option>');
  });

  it("pages newest first with a cursor, without skipping or repeating tasks created in the same millisecond", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const made: string[] = [];
    for (let i = 1; i <= 27; i++) {
      made.push(await task(`Task ${String(i).padStart(2, "0")}`, LOCAL_OWNER_ID, null));
      // Pairs of tasks share a creation time, so the cursor must break ties.
      if (i % 2 === 0) hub.clock.advance(1000);
    }
    const first = await (await people.owner.get("/tasks")).text();
    const firstTitles = titles(first);
    expect(firstTitles).toHaveLength(25);
    expect(firstTitles[0]).toBe("Task 27");
    const next = /<a rel="next" href="([^"]+)">Older tasks<\/a>/.exec(first)?.[1]?.replaceAll("&amp;", "&");
    expect(next).toMatch(/^\/tasks\?after=/);
    expect(next).not.toMatch(/offset|page=/);
    const second = await (await people.owner.get(next!)).text();
    const secondTitles = titles(second);
    expect(secondTitles).toHaveLength(2);
    expect(second).not.toContain("Older tasks");
    expect(second).toContain('href="/tasks">First page</a>');
    const seen = [...firstTitles, ...secondTitles];
    expect(new Set(seen).size).toBe(27);
    expect(secondTitles.every((t) => t < "Task 03")).toBe(true);

    // Paging keeps the filter in force.
    await hub.database.db.update(tasks).set({ status: "failed" });
    const filtered = await (await people.owner.get("/tasks?status=failed")).text();
    expect(/<a rel="next" href="([^"]+)"/.exec(filtered)?.[1]).toContain("status=failed");
  });
});
