import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import { consolePeople } from "./people";

// The task limits page: owners read and change the workspace's limits and those of environments, groups and
// members, each save one audited change; everyone else is refused.

let hub: World;
afterEach(() => hub?.close());

const ws = LOCAL_WORKSPACE_ID;

async function api(method: string, path: string, body?: unknown) {
  const res = await hub.request(`/api/v1/workspaces/${ws}${path}`, {
    method,
    headers: { ...hub.adminHeaders, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as any;
}

const limitAudits = () => hub.audit().filter((a) => a.action.startsWith("task_limits"));
const WORKSPACE_FORM = {
  maxRunning: "4",
  maxRunningPerEnvironment: "2",
  tasksPerDay: "",
  reviewsPerDay: "",
  timeoutSeconds: "",
};

describe("the task limits page", () => {
  it("is for owners only", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    expect((await people.owner.get("/task-limits")).status).toBe(200);
    expect((await people.admin.get("/task-limits")).status).toBe(403);
    expect((await people.member.get("/task-limits")).status).toBe(403);
    const token = await people.member.formFields("/");
    const res = await people.member.post("/task-limits", { ...token, ...WORKSPACE_FORM, tasksPerDay: "5" });
    expect(res.status).toBe(403);
    expect(limitAudits()).toEqual([]);
  });

  it("saves the workspace's limits as one audited change; an empty box is no limit", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const page = await (await people.owner.get("/task-limits")).text();
    expect(page).toContain("Tasks per day");
    expect(page).toContain('name="maxRunning" value="4"');
    const fields = await people.owner.formFields("/task-limits");
    const res = await people.owner.post("/task-limits", { ...fields, ...WORKSPACE_FORM, tasksPerDay: "50" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/task-limits?saved=1");
    expect(await api("GET", "/task-limits")).toEqual({
      maxRunning: 4,
      maxRunningPerEnvironment: 2,
      tasksPerDay: 50,
    });
    expect(limitAudits()).toEqual([
      expect.objectContaining({
        action: "task_limits.change",
        actor: "member:mem_local_owner",
        after: { maxRunning: 4, maxRunningPerEnvironment: 2, tasksPerDay: 50 },
      }),
    ]);

    const again = await people.owner.post("/task-limits", {
      ...fields,
      ...WORKSPACE_FORM,
      tasksPerDay: "50",
    });
    expect(again.headers.get("location")).toBe("/task-limits?unchanged=1");
    const cleared = await people.owner.post("/task-limits", { ...fields, ...WORKSPACE_FORM });
    expect(cleared.status).toBe(303);
    expect(await api("GET", "/task-limits")).toEqual({ maxRunning: 4, maxRunningPerEnvironment: 2 });
    expect(limitAudits()).toHaveLength(2);
  });

  it("shows a refused value with its reason and saves nothing", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const fields = await people.owner.formFields("/task-limits");
    const zero = await people.owner.post("/task-limits", { ...fields, ...WORKSPACE_FORM, maxRunning: "0" });
    expect(zero.status).toBe(400);
    expect(await zero.text()).toContain("Tasks running at once:");
    const words = await people.owner.post("/task-limits", {
      ...fields,
      ...WORKSPACE_FORM,
      reviewsPerDay: "many",
    });
    expect(words.status).toBe(400);
    expect(await words.text()).toContain("Code reviews per day: enter a whole number");
    expect(limitAudits()).toEqual([]);
  });

  it("sets, lists and removes the limits of a group and a member", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const fields = await people.owner.formFields("/task-limits");
    const page = await (await people.owner.get("/task-limits")).text();
    expect(page).toContain(`value="group:${people.ids.adminGroupId}"`);
    expect(page).toContain(`value="member:${people.ids.memberId}"`);

    const set = (target: string, values: Record<string, string>) =>
      people.owner.post("/task-limits/overrides", {
        ...fields,
        target,
        maxRunning: "",
        tasksPerDay: "",
        reviewsPerDay: "",
        ...values,
      });
    expect((await set(`group:${people.ids.adminGroupId}`, { maxRunning: "2" })).status).toBe(303);
    expect((await set(`member:${people.ids.memberId}`, { tasksPerDay: "3" })).status).toBe(303);
    const listed = await (await people.owner.get("/task-limits")).text();
    expect(listed).toMatch(/Group <strong>Platform<\/strong>/);
    expect(listed).toMatch(/Member <strong>Max<\/strong>/);
    expect((await api("GET", "/task-limits/overrides")).items).toEqual([
      { scope: "group", id: people.ids.adminGroupId, name: "Platform", maxRunning: 2 },
      { scope: "member", id: people.ids.memberId, name: "Max", tasksPerDay: 3 },
    ]);

    const removed = await people.owner.post(
      `/task-limits/overrides/group/${people.ids.adminGroupId}/remove`,
      fields,
    );
    expect(removed.status).toBe(303);
    expect((await api("GET", "/task-limits/overrides")).items).toHaveLength(1);
    expect(limitAudits().map((a) => [a.action, a.actor])).toEqual([
      ["task_limits.override.set", "member:mem_local_owner"],
      ["task_limits.override.set", "member:mem_local_owner"],
      ["task_limits.override.clear", "member:mem_local_owner"],
    ]);

    const nobody = await set("member:mem_nobody", { maxRunning: "1" });
    expect(nobody.status).toBe(404);
    expect(await nobody.text()).toContain("No member mem_nobody");
  });
});
