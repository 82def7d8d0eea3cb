import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_OWNER_ID, LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import { type ConsolePeople, consolePeople } from "./people";

let hub: World;
afterEach(() => hub?.close());

interface EnvironmentJson {
  id: string;
  name: string;
  creatorId: string;
  visibility: string;
  collaboratorIds: string[];
  internet: { mode: string; domains?: string[] };
}

async function api(method: string, path: string, body?: unknown) {
  const res = await hub.request(`/api/v1/workspaces/${LOCAL_WORKSPACE_ID}${path}`, {
    method,
    headers: { ...hub.adminHeaders, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<any>;
}

/** Environments made by the test (the sandbox's sample environment left out). */
const environments = async (): Promise<EnvironmentJson[]> =>
  ((await api("GET", "/environments")).items as EnvironmentJson[]).filter(
    (e) => !e.id.startsWith("env_sandbox"),
  );

async function audit(action: string) {
  const { items } = await api("GET", "/audit?limit=500");
  return (items as { action: string; actor: string; target: string }[]).filter((r) => r.action === action);
}

/** The owner's private environment and a workspace one, made through the admin API. */
async function seed() {
  const base = { creatorId: LOCAL_OWNER_ID, repository: "acme/api" };
  const secret = await api("POST", "/environments", { ...base, name: "Secret", visibility: "private" });
  const shared = await api("POST", "/environments", { ...base, name: "Shared", description: "For everyone" });
  return { secret: secret as EnvironmentJson, shared: shared as EnvironmentJson };
}

const createFields = async (people: ConsolePeople, who: keyof Omit<ConsolePeople, "ids">) => ({
  ...(await people[who].formFields("/environments")),
  repository: "acme/web",
  name: "Web",
  description: "The storefront",
  visibility: "workspace",
  collaborators: "",
});

describe("the environments page", () => {
  it("shows owners and Codex Admins every environment, and members only those visible to them", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const { secret } = await seed();
    for (const who of ["owner", "admin"] as const) {
      const html = await (await people[who].get("/environments")).text();
      expect(html).toContain("Secret");
      expect(html).toContain("Shared");
      expect(html).toContain("Create environment");
      const page = await people[who].get(`/environments/${secret.id}`);
      expect(await page.text()).toContain("Save environment");
    }
    const res = await people.member.get("/environments");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Shared");
    expect(html).not.toContain("Secret");
    expect(html).toContain("View only");
    expect((await people.member.get(`/environments/${secret.id}`)).status).toBe(404);
  });

  it("creates an environment from the form, audited with the Codex Admin as actor", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const res = await people.admin.post("/environments", {
      ...(await createFields(people, "admin")),
      creator: people.ids.adminId,
      collaborators: "max@example.com",
    });
    expect(res.status).toBe(303);
    const [created] = await environments();
    expect(created).toMatchObject({ name: "Web", creatorId: people.ids.adminId });
    expect(created?.collaboratorIds).toEqual([people.ids.memberId]);
    expect(res.headers.get("location")).toBe(`/environments/${created?.id}?saved=1`);
    const page = await (await people.admin.get(res.headers.get("location") ?? "")).text();
    expect(page).toContain("Saved.");
    const [record] = await audit("environment.create");
    expect(record).toMatchObject({ actor: `member:${people.ids.adminId}`, target: created?.id });
  });

  it("lets a member create their own environment and edit it, but not edit or delete others'", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const { shared } = await seed();
    // A member's own environment needs Codex cloud and GitHub's word that they can read the repository
    // (test/github/member-environments-console.test.ts creates one); an admin makes this one for them.
    const made = await people.member.post("/environments", {
      ...(await createFields(people, "member")),
      creator: LOCAL_OWNER_ID,
    });
    expect(made.status).toBe(403);
    // Here the member holds no Codex cloud role, which is said first.
    expect(await made.text()).toContain("Creating environments needs Codex cloud access");
    await api("POST", "/environments", {
      creatorId: people.ids.memberId,
      repository: "acme/web",
      name: "Web",
    });
    const own = (await environments()).find((e) => e.name === "Web");
    expect(own?.creatorId).toBe(people.ids.memberId);
    const edited = await people.member.post(`/environments/${own?.id}`, {
      ...(await createFields(people, "member")),
      name: "Web shop",
    });
    expect(edited.status).toBe(303);
    const fields = await people.member.formFields("/environments");
    const refused = await people.member.post(`/environments/${shared.id}`, {
      ...fields,
      repository: "acme/api",
      name: "Taken over",
      visibility: "workspace",
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Only its creator, its collaborators, Codex Admins and owners");
    const deleted = await people.member.post(`/environments/${shared.id}/delete`, fields);
    expect(deleted.status).toBe(403);
    const names = (await environments()).map((e) => e.name).sort();
    expect(names).toEqual(["Secret", "Shared", "Web shop"]);
    expect((await audit("environment.update")).map((r) => r.actor)).toEqual([
      `member:${people.ids.memberId}`,
    ]);
  });

  it("refuses every form without the page's token and changes nothing", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const { shared } = await seed();
    const body = { repository: "acme/web", name: "Web", visibility: "workspace" };
    for (const path of ["/environments", `/environments/${shared.id}`, `/environments/${shared.id}/delete`]) {
      expect((await people.owner.post(path, body)).status).toBe(403);
    }
    expect((await environments()).map((e) => e.name).sort()).toEqual(["Secret", "Shared"]);
  });

  it("answers invalid input with a 400 page naming the field, the input kept, and invites unknown emails", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const res = await people.owner.post("/environments", {
      ...(await createFields(people, "owner")),
      creator: LOCAL_OWNER_ID,
      repository: "not a repository",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Repository: must be a GitHub repository as owner/name");
    expect(html).toContain('value="not a repository"');
    expect(html).toContain("The storefront");
    const unknown = await people.owner.post("/environments", {
      ...(await createFields(people, "owner")),
      creator: LOCAL_OWNER_ID,
      collaborators: "nobody@example.com",
    });
    // An email no member has is kept as an invitation (it becomes a collaboration when they join).
    expect(unknown.status).toBe(303);
    const [invited] = await environments();
    expect(invited?.collaboratorIds).toEqual([]);
    const pending = await api("GET", `/environments/${invited?.id}/invitations`);
    expect(pending.items).toMatchObject([{ email: "nobody@example.com" }]);
  });

  it("offers an internet allowlist only where the workspace allows agent internet access", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const off = await (await people.admin.get("/environments")).text();
    expect(off).toContain("This workspace does not allow the Codex agent to access the internet");
    expect(off).not.toContain('name="domains"');
    await api("PATCH", "/toggles", { agentInternet: true });
    expect(await (await people.admin.get("/environments")).text()).toContain('name="domains"');
    const allowlist = {
      ...(await createFields(people, "admin")),
      creator: people.ids.adminId,
      internet: "allowlist",
      method_GET: "on",
    };
    const bad = await people.admin.post("/environments", { ...allowlist, domains: "not a domain" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Internet access (domains 0): must be a domain name");
    const good = await people.admin.post("/environments", { ...allowlist, domains: "registry.npmjs.org" });
    expect(good.status).toBe(303);
    const [env] = await environments();
    expect(env?.internet).toEqual({ mode: "allowlist", domains: ["registry.npmjs.org"], methods: ["GET"] });
  });

  it("adds the common dependencies preset to an allowlist, shown by its label and its hosts", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    await api("PATCH", "/toggles", { agentInternet: true });
    const form = await (await people.admin.get("/environments")).text();
    expect(form).toContain('name="preset_common-dependencies"');
    expect(form).toContain("registry.npmjs.org, registry.yarnpkg.com");
    const saved = await people.admin.post("/environments", {
      ...(await createFields(people, "admin")),
      creator: people.ids.adminId,
      internet: "allowlist",
      domains: "",
      "preset_common-dependencies": "on",
      method_GET: "on",
    });
    expect(saved.status).toBe(303);
    const [env] = await environments();
    expect(env?.internet).toEqual({
      mode: "allowlist",
      domains: [],
      methods: ["GET"],
      presets: ["common-dependencies"],
    });
    const page = await (await people.admin.get("/environments")).text();
    expect(page).toContain("Allowlist: Common dependencies (GET)");
    const edit = await (await people.admin.get(`/environments/${env!.id}`)).text();
    expect(edit).toMatch(/name="preset_common-dependencies" value="on" checked/);
  });

  it("lets a Codex Admin delete any environment, audited", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const { secret } = await seed();
    const res = await people.admin.post(
      `/environments/${secret.id}/delete`,
      await people.admin.formFields(`/environments/${secret.id}`),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/environments?saved=1");
    expect((await environments()).map((e) => e.name)).toEqual(["Shared"]);
    const [record] = await audit("environment.delete");
    expect(record).toMatchObject({ actor: `member:${people.ids.adminId}`, target: secret.id });
  });
});
