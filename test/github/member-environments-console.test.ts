import { describe, expect, it } from "vitest";
import { members } from "../../src/db/schema/access";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { sessionCookieFor } from "../helpers/sign-in";
import { useWorld, type World } from "../helpers/world";
import { type Browser, browser } from "../web/browser";
import { githubWorld, WS } from "./acme";
import { REPO } from "./github-fake";

// The environments page for members: their own environment after GitHub's check, and its collaborators by
// email, an invitation becoming a collaboration at that person's first sign-in or when an admin adds them.

let world: World;
useWorld(githubWorld, (fresh) => ({ world } = fresh));

async function signedIn(email: string): Promise<Browser> {
  const b = browser(world);
  const cookie = await sessionCookieFor(world.deps, { provider: "slack", subject: email });
  const eq = cookie.indexOf("=");
  b.jar.set(cookie.slice(0, eq), cookie.slice(eq + 1));
  return b;
}

const token = async (b: Browser) => (await b.formFields("/environments")).form_token!;

async function createAs(b: Browser, collaborators = "") {
  return b.post("/environments", {
    form_token: await token(b),
    repository: REPO,
    name: "mine",
    description: "",
    visibility: "private",
    collaborators,
    internet: "off",
  });
}

const environments = async (): Promise<any[]> =>
  ((await (await world.admin(`/workspaces/${WS}/environments`)).json()) as any).items;

describe("a member's environment from the console", () => {
  it("is refused when GitHub says the member cannot read the repository", async () => {
    const nora = await signedIn("nora@acme.test");
    const res = await createAs(nora);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain(`GitHub says nora-gh cannot read ${REPO}`);
    expect((await environments()).map((e) => e.name)).not.toContain("mine");
  });

  it("is created for a reader, and its creator invites by email; the invitation is claimed at sign-in", async () => {
    const rita = await signedIn("rita@acme.test");
    const made = await createAs(rita, "max@acme.test\nsam@acme.test");
    expect(made.status).toBe(303);
    const env = (await environments()).find((e) => e.name === "mine");
    expect(env).toMatchObject({ creatorId: "mem_rita", visibility: "private", collaboratorIds: ["mem_max"] });

    const page = await (await rita.get(`/environments/${env.id}`)).text();
    expect(page).toContain("sam@acme.test");
    expect(page).toContain("invited, not a member yet");

    const added = await rita.post(`/environments/${env.id}/collaborators`, {
      form_token: await token(rita),
      email: "pat@acme.test",
    });
    expect(added.status).toBe(303);
    // Max collaborates but did not create it: he cannot change its collaborators.
    const max = await signedIn("max@acme.test");
    const refused = await max.post(`/environments/${env.id}/collaborators`, {
      form_token: await token(max),
      email: "nora@acme.test",
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Codex Admins and workspace owners change its collaborators");

    // Sam becomes a member by a way that does not go through the hub's member creation (e.g. restored data),
    // then signs in for the first time.
    const now = world.clock.now();
    await world.database.db.insert(members).values({
      id: "mem_sam",
      workspaceId: WS,
      email: "sam@acme.test",
      createdAt: now,
      updatedAt: now,
    });
    await invalidateSnapshot(world.deps, WS);
    await signedIn("sam@acme.test");
    // Pat is added by an admin.
    const pat = await world.admin(`/workspaces/${WS}/members`, {
      method: "POST",
      body: JSON.stringify({ email: "pat@acme.test" }),
    });
    const patId = ((await pat.json()) as { id: string }).id;
    const after = (await environments()).find((e) => e.name === "mine");
    expect(after.collaboratorIds.sort()).toEqual(["mem_max", "mem_sam", patId].sort());
    const accepted = await world.audit("environment.invitation.accept");
    expect(accepted.map((a) => a.target).sort()).toEqual(["mem_sam", patId].sort());
  });
});
