import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditLog } from "../../../src/db/schema/audit";
import { githubInstallations } from "../../../src/db/schema/github";
import { workspaceLinks } from "../../../src/db/schema/workspaces";
import { LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import { consolePeople } from "./people";

// The overview as each level sees it, first runs in sandbox and live mode, and the one-click link of a GitHub
// installation the hub has seen but no workspace owns.

let hub: World;
afterEach(() => hub?.close());

/** A live hub (a GitHub App in the environment) whose App was installed once, not yet linked. */
async function liveHubWithInstallation() {
  hub = createWorld({
    env: {
      GITHUB_APP_ID: "4242",
      GITHUB_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----",
      HUB_EXECUTOR: "command",
      HUB_EXECUTOR_COMMAND: "cat",
    },
  });
  const people = await consolePeople(hub);
  const now = hub.clock.now();
  await hub.deps.database.db.insert(githubInstallations).values({
    id: 99,
    accountLogin: "acme",
    accountType: "Organization",
    status: "active",
    createdAt: now,
    updatedAt: now,
  });
  return people;
}

const links = () =>
  hub.deps.database.db.select().from(workspaceLinks).where(eq(workspaceLinks.kind, "github_installation"));

describe("the overview", () => {
  it("first run in sandbox mode: says so, and every platform is simulated", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const html = await (await people.owner.get("/")).text();
    expect(html).toContain("Setup checklist");
    expect(html).toContain("Sandbox mode");
    expect(html).toContain("README: First real setup");
    expect(html).not.toContain('id="step-executor"><span class="status">To do');
  });

  it("first run live: toggles that start off, a missing environment, and the installation to link, for the owner", async () => {
    const people = await liveHubWithInstallation();
    const res = await people.owner.get("/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("GitHub: configured");
    expect(html).toContain("GitHub: link a GitHub App installation to this workspace");
    expect(html).toContain("Turn on &quot;Allow members to use Codex cloud&quot;");
    expect(html).toContain("Turn on &quot;GitHub connector&quot;");
    expect(html).toContain("Turn on &quot;Code review&quot;");
    expect(html).toContain('href="/settings"');
    expect(html).toContain('href="/environments"');
    expect(html).toContain("GitHub installation 99 (acme)");
    expect(html).toContain("Link to this workspace");
  });

  it("shows a Codex Admin the checklist without link buttons, and a member only how to use Codex", async () => {
    const people = await liveHubWithInstallation();
    const admin = await (await people.admin.get("/")).text();
    expect(admin).toContain("Setup checklist");
    expect(admin).toContain("GitHub installation 99 (acme)");
    expect(admin).not.toContain("Link to this workspace");
    const member = await people.member.get("/");
    expect(member.status).toBe(200);
    const html = await member.text();
    expect(html).not.toContain("Setup checklist");
    expect(html).not.toContain("GitHub installation 99");
    expect(html).toContain("Your linked accounts");
    expect(html).toContain("On GitHub: comment @codex review");
    expect(html).toContain("Environments you can use");
  });

  it("links an installation for an owner in one click, audited; refuses without the form token and for a member", async () => {
    const people = await liveHubWithInstallation();
    const noToken = await people.owner.post("/", { link: "github_installation:99" });
    expect(noToken.status).toBe(403);
    const member = await people.member.post("/", {
      ...(await people.member.formFields("/")),
      link: "github_installation:99",
    });
    expect(member.status).toBe(403);
    expect(await links()).toEqual([]);

    const done = await people.owner.post("/", {
      ...(await people.owner.formFields("/")),
      link: "github_installation:99",
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/?saved=1");
    expect(await links()).toMatchObject([{ workspaceId: LOCAL_WORKSPACE_ID, externalId: "99" }]);
    const audit = await hub.deps.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "github.installation.claim"));
    expect(audit).toMatchObject([{ target: "99", actor: expect.stringMatching(/^member:/) }]);
    const after = await (await people.owner.get("/?saved=1")).text();
    expect(after).toContain("GitHub: linked to this workspace");
    expect(after).not.toContain("Link to this workspace");
  });

  it("says what is wrong for an unknown installation or a malformed link, and links nothing", async () => {
    const people = await liveHubWithInstallation();
    const unknown = await people.owner.post("/", {
      ...(await people.owner.formFields("/")),
      link: "github_installation:12345",
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("No GitHub installation 12345 is known.");
    const bad = await people.owner.post("/", { ...(await people.owner.formFields("/")), link: "nonsense" });
    expect(bad.status).toBe(400);
  });
});
