import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import { consolePeople } from "./people";

let hub: World;
afterEach(() => hub?.close());

async function api(method: string, path: string, body?: unknown) {
  const res = await hub.request(`/api/v1/workspaces/${LOCAL_WORKSPACE_ID}${path}`, {
    method,
    headers: { ...hub.adminHeaders, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<any>;
}

async function audit(action: string) {
  const { items } = await api("GET", "/audit?limit=500");
  return (items as { action: string; actor: string; target: string }[]).filter((r) => r.action === action);
}

const settingsOf = async (repo: string) => api("GET", `/github/repositories/${repo}/review-settings`);

/** What the settings form sends for the defaults, as a browser would submit it untouched. */
const defaultForm = {
  reviewEnabled: "on",
  autoReview: "on",
  trigger_opened: "on",
  trigger_ready_for_review: "on",
  contributors: "all",
  skipDrafts: "on",
  baseBranchGlobs: "",
  skipLabels: "",
  skipTitleKeywords: "",
  ignoreAuthors: "",
  minPriority: "1",
};

describe("the code review page", () => {
  it("lets owners flip the workspace switch, shows it read-only to Codex Admins, and refuses members", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const before = (await api("GET", "/toggles")).codeReview as boolean;
    const owner = await (await people.owner.get("/code-review")).text();
    expect(owner).toContain(before ? "Turn code review off" : "Turn code review on");
    const admin = await (await people.admin.get("/code-review")).text();
    expect(admin).toContain("Only workspace owners can change this switch.");
    expect(admin).toContain("Add repository");
    const member = await people.member.get("/code-review");
    expect(member.status).toBe(403);

    const token = await people.admin.formFields("/code-review");
    const refused = await people.admin.post("/code-review/switch", {
      ...token,
      codeReview: before ? "off" : "on",
    });
    expect(refused.status).toBe(403);
    expect((await api("GET", "/toggles")).codeReview).toBe(before);

    const flipped = await people.owner.post(
      "/code-review/switch",
      await people.owner.formFields("/code-review"),
    );
    expect(flipped.status).toBe(303);
    expect((await api("GET", "/toggles")).codeReview).toBe(!before);
    const [record] = await audit("toggles.update");
    expect(record?.actor).toBe("member:mem_local_owner");
  });

  it("adds a repository and saves its settings, audited with the Codex Admin as actor", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const token = await people.admin.formFields("/code-review");
    const added = await people.admin.post("/code-review/repositories", { ...token, repository: "Acme/Web" });
    expect(added.status).toBe(303);
    expect(added.headers.get("location")).toBe("/code-review/repositories/acme/web?saved=1");
    expect((await settingsOf("acme/web")).configured).toBe(true);
    // Automatic reviews unticked: the browser then sends no such field.
    const { autoReview: _unticked, ...rest } = defaultForm;
    const saved = await people.admin.post("/code-review/repositories/acme/web", {
      ...token,
      ...rest,
      trigger_synchronize: "on",
      contributors: "opted_in",
      baseBranchGlobs: "main\nrelease/*",
      skipLabels: "no-review",
      ignoreAuthors: "renovate[bot]",
      minPriority: "2",
    });
    expect(saved.status).toBe(303);
    expect((await settingsOf("acme/web")).settings).toMatchObject({
      reviewEnabled: true,
      autoReview: false,
      triggers: ["opened", "ready_for_review", "synchronize"],
      contributors: "opted_in",
      baseBranchGlobs: ["main", "release/*"],
      skipLabels: ["no-review"],
      ignoreAuthors: ["renovate[bot]"],
      minPriority: 2,
    });
    const list = await (await people.admin.get("/code-review")).text();
    expect(list).toContain("acme/web");
    expect(list).toContain("Reviews on request only; opted-in members&#39; pull requests; posts P0 to P2");
    const records = await audit("github.review_settings.update");
    expect(records).toHaveLength(2);
    expect(records.every((r) => r.actor === `member:${people.ids.adminId}`)).toBe(true);
  });

  it("answers invalid input with a 400 page naming the field, and saves nothing", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const token = await people.admin.formFields("/code-review");
    const badRepo = await people.admin.post("/code-review/repositories", {
      ...token,
      repository: "not a repo",
    });
    expect(badRepo.status).toBe(400);
    const html = await badRepo.text();
    expect(html).toContain("is not a repository name (owner/name)");
    expect(html).toContain('value="not a repo"');
    await people.admin.post("/code-review/repositories", { ...token, repository: "acme/web" });
    const bad = await people.admin.post("/code-review/repositories/acme/web", {
      ...token,
      ...defaultForm,
      contributors: "nobody",
      skipLabels: "wip",
    });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain("Whose pull requests:");
    expect(page).toContain(">wip</textarea>");
    expect((await settingsOf("acme/web")).settings.contributors).toBe("all");
    expect((await settingsOf("acme/web")).settings.skipLabels).toEqual([]);
  });

  it("lists members who opted in, and allows and removes bots", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    await api("PUT", `/members/${people.ids.memberId}/github/review-opt-in`, { enabled: true });
    expect(await (await people.admin.get("/code-review")).text()).toContain("max@example.com");
    const token = await people.admin.formFields("/code-review");
    const added = await people.admin.post("/code-review/bots", { ...token, login: "dependabot[bot]" });
    expect(added.status).toBe(303);
    expect((await api("GET", "/github/bots")).items.map((b: { login: string }) => b.login)).toEqual([
      "dependabot[bot]",
    ]);
    expect(await (await people.admin.get("/code-review")).text()).toContain("Remove dependabot[bot]");
    const bad = await people.admin.post("/code-review/bots", { ...token, login: "not a login!" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("is not a GitHub login");
    const removed = await people.admin.post(
      `/code-review/bots/${encodeURIComponent("dependabot[bot]")}/remove`,
      token,
    );
    expect(removed.status).toBe(303);
    expect((await api("GET", "/github/bots")).items).toEqual([]);
    expect((await audit("github.bot_allowlist.add"))[0]?.actor).toBe(`member:${people.ids.adminId}`);
  });

  it("refuses every form without the page's token, and members even with it; nothing changes", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const before = (await api("GET", "/toggles")).codeReview;
    const posts: [string, Record<string, string>][] = [
      ["/code-review/switch", { codeReview: before ? "off" : "on" }],
      ["/code-review/repositories", { repository: "acme/web" }],
      ["/code-review/repositories/acme/web", defaultForm],
      ["/code-review/bots", { login: "dependabot[bot]" }],
    ];
    const memberToken = await people.member.formFields("/");
    for (const [path, body] of posts) {
      expect((await people.owner.post(path, body)).status).toBe(403);
      expect((await people.member.post(path, { ...memberToken, ...body })).status).toBe(403);
    }
    expect((await api("GET", "/toggles")).codeReview).toBe(before);
    expect((await api("GET", "/github/review-settings")).items).toEqual([]);
    expect((await api("GET", "/github/bots")).items).toEqual([]);
  });
});
