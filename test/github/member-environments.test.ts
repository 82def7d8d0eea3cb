import { describe, expect, it } from "vitest";
import { sessionCookieFor } from "../helpers/sign-in";
import { useWorld, type World } from "../helpers/world";
import { browser } from "../web/browser";
import { githubWorld, WS } from "./acme";
import { REPO } from "./github-fake";

// Members' own environments: created only for repositories GitHub says the member can read, private to the
// creator and the collaborators they name by email; an email nobody has yet becomes a collaboration once
// that person is provisioned. Acme: Max (Codertocat, write), Nora (nora-gh, no access), Rita (reader-gh, read).

let world: World;
useWorld(githubWorld, (fresh) => ({ world } = fresh));

const create = (memberId: string, body: Record<string, unknown>) =>
  world.admin(`/workspaces/${WS}/members/${memberId}/environments`, {
    method: "POST",
    body: JSON.stringify({ name: "rita-private", repository: REPO, ...body }),
  });

/** The access decision for running a task in `environmentId`, with GitHub's answer given as read. */
async function mayRun(memberId: string, environmentId: string) {
  const res = await world.admin("/access/explain", {
    method: "POST",
    body: JSON.stringify({
      workspaceId: WS,
      actor: { memberId, platform: "slack" },
      surface: "slack",
      action: "task.run",
      environmentId,
      repoPermission: "read",
    }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { allowed: boolean; code: string };
}

async function scimUser(email: string) {
  const res = await world.request(`/scim/v2/workspaces/${WS}/Users`, {
    method: "POST",
    headers: { ...world.adminHeaders, "content-type": "application/scim+json" },
    body: JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: email,
      emails: [{ value: email, primary: true }],
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const environmentCount = async () =>
  ((await (await world.admin(`/workspaces/${WS}/environments`)).json()) as { items: unknown[] }).items.length;

describe("a member's own environment", () => {
  it("is refused for a repository GitHub says the member cannot read, and nothing is created", async () => {
    const before = await environmentCount();
    const res = await create("mem_nora", {});
    expect(res.status).toBe(403);
    const body = (await res.json()) as any;
    expect(body.error).toMatchObject({ code: "forbidden" });
    expect(body.error.message).toContain(`GitHub says nora-gh cannot read ${REPO}`);
    expect(await environmentCount()).toBe(before);
    expect(await world.audit("environment.create")).toEqual([]);
  });

  it("is refused to a member without a linked GitHub login, saying so", async () => {
    const made = await world.admin(`/workspaces/${WS}/members`, {
      method: "POST",
      body: JSON.stringify({ email: "lin@acme.test" }),
    });
    const { id } = (await made.json()) as { id: string };
    const res = await create(id, {});
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.message).toContain("Connect your GitHub account first");
  });

  it("answers bad input with the JSON error envelope", async () => {
    const res = await create("mem_rita", { collaboratorEmails: ["not-an-email"] });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it("is private: usable by the creator and collaborators, not by others", async () => {
    const res = await create("mem_rita", { collaboratorEmails: ["MAX@acme.test"] });
    expect(res.status).toBe(201);
    const env = (await res.json()) as any;
    expect(env).toMatchObject({ visibility: "private", creatorId: "mem_rita", collaboratorIds: ["mem_max"] });
    expect((await world.audit("environment.create"))[0]).toMatchObject({ actor: "api_key:bootstrap" });
    expect(await mayRun("mem_rita", env.id)).toMatchObject({ allowed: true });
    expect(await mayRun("mem_max", env.id)).toMatchObject({ allowed: true });
    expect(await mayRun("mem_nora", env.id)).toMatchObject({ allowed: false, code: "ENV_NOT_VISIBLE" });
  });

  it("gives an invited email access once that person is provisioned by SCIM", async () => {
    const res = await create("mem_rita", { collaboratorEmails: ["newbie@acme.test"] });
    expect(res.status).toBe(201);
    const env = (await res.json()) as any;
    expect(env.collaboratorIds).toEqual([]);
    expect(env.invitations).toMatchObject([{ email: "newbie@acme.test" }]);
    expect((await world.audit("environment.invite"))[0].after).toEqual({ emails: ["newbie@acme.test"] });

    const newbie = await scimUser("Newbie@acme.test");
    expect(await mayRun(newbie, env.id)).toMatchObject({ allowed: true });
    const [accepted] = await world.audit("environment.invitation.accept");
    expect(accepted).toMatchObject({ target: newbie, after: { environmentIds: [env.id] } });
    const invitations = await world.admin(`/workspaces/${WS}/environments/${env.id}/invitations`);
    expect(((await invitations.json()) as any).items).toEqual([]);
  });

  it("lets its creator add collaborators by email from their session, and not a collaborator", async () => {
    const env = (await (await create("mem_rita", { collaboratorEmails: ["max@acme.test"] })).json()) as any;
    const asMember = async (email: string, method: string, who: string) => {
      const b = browser(world);
      const cookie = await sessionCookieFor(world.deps, { provider: "slack", subject: email });
      const eq = cookie.indexOf("=");
      b.jar.set(cookie.slice(0, eq), cookie.slice(eq + 1));
      const token = (await b.formFields("/environments")).form_token!;
      return world.request(
        `/api/v1/workspaces/${WS}/environments/${env.id}/collaborators/by-email/${encodeURIComponent(who)}`,
        {
          method,
          headers: {
            cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join("; "),
            origin: "http://hub.test",
            "x-csrf-token": token,
          },
        },
      );
    };
    const added = await asMember("rita@acme.test", "PUT", "later@acme.test");
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({ status: "invited" });
    const refused = await asMember("max@acme.test", "PUT", "nora@acme.test");
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).error.message).toContain("Only the environment's creator");
    const hidden = await asMember("nora@acme.test", "PUT", "nora@acme.test");
    expect(hidden.status).toBe(404);
    expect(await mayRun("mem_nora", env.id)).toMatchObject({ allowed: false });

    // A Codex Admin (here the admin key) manages every environment.
    const byAdmin = await world.admin(
      `/workspaces/${WS}/environments/${env.id}/collaborators/by-email/nora@acme.test`,
      { method: "PUT" },
    );
    expect(await byAdmin.json()).toMatchObject({ status: "added" });
    expect(await mayRun("mem_nora", env.id)).toMatchObject({ allowed: true });
    const removed = await world.admin(
      `/workspaces/${WS}/environments/${env.id}/collaborators/by-email/nora@acme.test`,
      { method: "DELETE" },
    );
    expect(removed.status).toBe(200);
    expect(await mayRun("mem_nora", env.id)).toMatchObject({ allowed: false });
    const actors = (await world.audit("environment.update")).map((a) => a.actor);
    expect(actors).toEqual(["api_key:bootstrap", "api_key:bootstrap"]);
    expect((await world.audit("environment.invite")).map((a) => a.actor)).toContain("member:mem_rita");
  });
});
