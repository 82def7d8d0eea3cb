import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_OWNER_ID, LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import type { Browser } from "../browser";
import { type ConsolePeople, consolePeople } from "./people";

let hub: World;
let people: ConsolePeople;
afterEach(() => hub?.close());

const ws = LOCAL_WORKSPACE_ID;
const SLACK = `app_${ws}_slack`;
const GITHUB = `app_${ws}_github`;

async function api(method: string, path: string, body?: unknown) {
  const res = await hub.request(`/api/v1/workspaces/${ws}${path}`, {
    method,
    headers: { ...hub.adminHeaders, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as any;
}

const app = (id: string) => api("GET", `/apps/${id}`);
const plugins = async () => (await api("GET", "/plugins")).items as any[];
const audit = async () => (await api("GET", "/audit?limit=50")).items as any[];

/** Submits a form as `who` with the page's token only (not the other hidden fields of the page). */
async function submit(who: Browser, path: string, fields: Record<string, string> = {}) {
  const { form_token } = await who.formFields("/apps");
  return who.post(path, { form_token: form_token!, ...fields });
}

/** The fields of the app form that leave an app as the seeded integrations are. */
const asSeeded = { name: "Slack", enabled: "on", status: "published", audience: "all", mode: "read_write" };

async function setUp() {
  hub = createWorld();
  people = await consolePeople(hub);
}

describe("the apps page", () => {
  it("lists the integrations with their state, audience and what they can do", async () => {
    await setUp();
    const res = await people.owner.get("/apps");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const text of ["Slack integration", "GitHub integration", "Linear integration", "All members"]) {
      expect(html).toContain(text);
    }
    expect(html).toContain(`href="/apps/app/${SLACK}"`);
    expect(html).toContain("Read and write");
    expect(html).toContain("No plugins yet.");
  });

  it("saves an app's state, audience and write controls as one audited change", async () => {
    await setUp();
    const page = await (await people.owner.get(`/apps/app/${SLACK}`)).text();
    expect(page).toContain(`name="group_${people.ids.adminGroupId}"`);
    expect(page).toContain(`name="role_${people.ids.adminRoleId}"`);
    const res = await submit(people.owner, `/apps/app/${SLACK}`, {
      ...asSeeded,
      status: "draft",
      audience: "assigned",
      [`group_${people.ids.adminGroupId}`]: "on",
      [`role_${people.ids.adminRoleId}`]: "on",
      memberEmails: "MAX@example.com\n",
      confirmWrites: "on",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/apps/app/${SLACK}?saved=1`);
    expect(await app(SLACK)).toMatchObject({
      enabled: true,
      status: "draft",
      mode: "read_write",
      confirmWrites: true,
      access: {
        type: "assigned",
        memberIds: [people.ids.memberId],
        groupIds: [people.ids.adminGroupId],
        roleIds: [people.ids.adminRoleId],
      },
    });
    const [entry] = (await audit()).filter((a) => a.action === "app.update");
    expect(entry.actor).toBe(`member:${LOCAL_OWNER_ID}`);
    expect(entry.before).toMatchObject({ status: "published", access: { type: "all" } });
    const again = await (await people.owner.get(`/apps/app/${SLACK}`)).text();
    expect(again).toContain("max@example.com</textarea>");
    expect(await (await people.owner.get("/apps")).text()).toContain(
      "Assigned: group Platform, role Codex Admins, 1 member",
    );

    // Read only: there is no write to confirm.
    await submit(people.owner, `/apps/app/${SLACK}`, {
      ...asSeeded,
      enabled: "",
      mode: "read_only",
      confirmWrites: "on",
    });
    expect(await app(SLACK)).toMatchObject({
      enabled: false,
      mode: "read_only",
      confirmWrites: false,
      access: { type: "all" },
    });
  });

  it("writes nothing when the form is as the app is", async () => {
    await setUp();
    const res = await submit(people.owner, `/apps/app/${SLACK}`, asSeeded);
    expect(res.headers.get("location")).toBe(`/apps/app/${SLACK}?unchanged=1`);
    expect((await audit()).filter((a) => a.action === "app.update")).toEqual([]);
  });

  it("refuses an audience naming someone who is not a member, or a group of no workspace", async () => {
    await setUp();
    const stranger = await submit(people.owner, `/apps/app/${SLACK}`, {
      ...asSeeded,
      audience: "assigned",
      memberEmails: "stranger@example.com",
    });
    expect(stranger.status).toBe(400);
    expect(await stranger.text()).toContain("no member has the email stranger@example.com");
    const forged = await submit(people.owner, `/apps/app/${SLACK}`, {
      ...asSeeded,
      audience: "assigned",
      group_grp_elsewhere: "on",
    });
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain("Unknown group id(s)");
    expect((await app(SLACK)).access).toEqual({ type: "all" });
    const bad = await submit(people.owner, `/apps/app/${SLACK}`, { ...asSeeded, mode: "everything" });
    expect(bad.status).toBe(400);
  });

  it("adds a custom app as a read-only draft, removes it, and never removes an integration", async () => {
    await setUp();
    const res = await submit(people.owner, "/apps/app", { name: "Warehouse" });
    const [, id] = /^\/apps\/app\/([^?]+)\?saved=1$/.exec(res.headers.get("location") ?? "") ?? [];
    expect(await app(id!)).toMatchObject({
      kind: "custom",
      name: "Warehouse",
      status: "draft",
      mode: "read_only",
      enabled: true,
    });
    await submit(people.owner, `/apps/app/${id}/delete`);
    expect((await api("GET", "/apps")).items.some((a: any) => a.id === id)).toBe(false);
    const refused = await submit(people.owner, `/apps/app/${GITHUB}/delete`);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("GitHub is an integration: disable it rather than remove it.");
    expect((await people.owner.get("/apps/app/app_nope")).status).toBe(404);
  });

  it("adds a plugin with its apps and installation policy per role, and changes them", async () => {
    await setUp();
    const { adminRoleId } = people.ids;
    const res = await submit(people.owner, "/apps/plugin", {
      name: "Triage",
      enabled: "on",
      skills: "label issues\nsummarize threads",
      [`required_${SLACK}`]: "on",
      [`optional_${GITHUB}`]: "on",
      [`policy_${adminRoleId}`]: "installed",
      defaultPolicy: "none",
    });
    expect(res.status).toBe(303);
    const [plugin] = await plugins();
    expect(plugin).toMatchObject({
      name: "Triage",
      enabled: true,
      skills: ["label issues", "summarize threads"],
      requiredAppIds: [SLACK],
      optionalAppIds: [GITHUB],
      policyByRole: { [adminRoleId]: "installed" },
      defaultPolicy: "none",
    });
    expect(res.headers.get("location")).toBe(`/apps/plugin/${plugin.id}?saved=1`);
    expect(await (await people.owner.get("/apps")).text()).toContain(
      "Codex Admins: installed; other roles: none",
    );

    await submit(people.owner, `/apps/plugin/${plugin.id}`, {
      name: "Triage",
      enabled: "on",
      skills: "label issues\nsummarize threads",
      [`required_${SLACK}`]: "on",
      [`optional_${GITHUB}`]: "on",
      [`policy_${adminRoleId}`]: "default",
      defaultPolicy: "available",
    });
    expect((await plugins())[0]).toMatchObject({ policyByRole: {}, defaultPolicy: "available" });
    const [entry] = (await audit()).filter((a) => a.action === "plugin.update");
    expect(entry).toMatchObject({ actor: `member:${LOCAL_OWNER_ID}`, after: { defaultPolicy: "available" } });

    // Its required app turned off: the plugin says it needs setup.
    await api("PATCH", `/apps/${SLACK}`, { enabled: false });
    expect(await (await people.owner.get(`/apps/plugin/${plugin.id}`)).text()).toContain(
      "Needs setup before members can use it: Slack is disabled.",
    );

    const both = await submit(people.owner, `/apps/plugin/${plugin.id}`, {
      name: "Triage",
      [`required_${SLACK}`]: "on",
      [`optional_${SLACK}`]: "on",
      defaultPolicy: "available",
    });
    expect(both.status).toBe(400);
    expect(await both.text()).toContain("an app is either required or optional, not both");

    await submit(people.owner, `/apps/plugin/${plugin.id}/delete`);
    expect(await plugins()).toEqual([]);
  });

  it("is for owners only", async () => {
    await setUp();
    expect((await people.admin.get("/apps")).status).toBe(403);
    expect((await people.admin.get(`/apps/app/${SLACK}`)).status).toBe(403);
    const res = await people.admin.post(`/apps/app/${SLACK}`, {
      ...(await people.admin.formFields("/")),
      ...asSeeded,
      enabled: "",
    });
    expect(res.status).toBe(403);
    expect((await app(SLACK)).enabled).toBe(true);
  });
});
