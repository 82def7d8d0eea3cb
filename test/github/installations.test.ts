import { describe, expect, it } from "vitest";
import { githubExample } from "../helpers/github-examples";
import { useWorld, type World } from "../helpers/world";
import { githubWorld, storedReviews, WS } from "./acme";
import { pullRequestEvent } from "./events";

// The App's lifecycle: installations and their repositories are kept in a registry; a new installation
// joins the only workspace there is, or waits for an admin to claim it when there are several.

let world: World;
useWorld(githubWorld, (fresh) => ({ world } = fresh));

const installations = async () =>
  ((await (await world.admin("/github/installations")).json()) as { items: any[] }).items;

async function send(event: string, payload: unknown) {
  expect((await world.send.github(event, payload)).status).toBe(200);
  await world.process();
}

describe("installation events", () => {
  it("registers a new installation with its repositories and links it to the only workspace", async () => {
    await send("installation", githubExample("installation", "created", 0));
    const created = (await installations()).find((i) => i.id === 957387);
    expect(created).toMatchObject({
      accountLogin: "Codertocat",
      status: "active",
      workspaceId: WS,
      repositories: [{ fullName: "Codertocat/Hello-World", status: "active" }],
    });
    expect((await world.audit("github.installation.created"))[0]).toMatchObject({
      workspaceId: WS,
      target: "957387",
    });
  });

  it("keeps the registry through repositories added and removed, suspension and deletion", async () => {
    await send("installation", githubExample("installation", "created", 0));
    await send("installation_repositories", githubExample("installation_repositories", "added", 0));
    let install = (await installations()).find((i) => i.id === 957387);
    expect(install.repositories.map((r: any) => [r.fullName, r.status])).toEqual([
      ["Codertocat/Hello-World", "active"],
      ["Codertocat/Space", "active"],
    ]);
    const removed = githubExample("installation_repositories", "added", 0);
    removed.action = "removed";
    removed.repositories_removed = removed.repositories_added;
    removed.repositories_added = [];
    await send("installation_repositories", removed);
    install = (await installations()).find((i) => i.id === 957387);
    expect(install.repositories.find((r: any) => r.fullName === "Codertocat/Space").status).toBe("removed");

    const suspend = githubExample("installation", "suspend", 0);
    suspend.installation.id = 957387;
    await send("installation", suspend);
    expect((await installations()).find((i) => i.id === 957387).status).toBe("suspended");

    const deleted = githubExample("installation", "created", 0);
    deleted.action = "deleted";
    await send("installation", deleted);
    install = (await installations()).find((i) => i.id === 957387);
    expect(install).toMatchObject({ status: "deleted", workspaceId: null });
    expect(install.repositories.every((r: any) => r.status === "removed")).toBe(true);
  });

  it("ignores pull requests of a suspended installation", async () => {
    const suspend = githubExample("installation", "suspend", 0);
    suspend.installation.id = 1;
    await send("installation", suspend);
    await send("pull_request", pullRequestEvent());
    expect(await storedReviews(world)).toEqual([]);
    expect((await world.outcomes())[1]).toContain("suspended");
  });

  it("leaves an installation unlinked when there are several workspaces, until an admin claims it", async () => {
    const res = await world.admin("/workspaces", {
      method: "POST",
      body: JSON.stringify({ name: "Other", ownerEmail: "o@other.test" }),
    });
    expect(res.status).toBe(201);
    const created = githubExample("installation", "created", 0);
    await send("installation", created);
    expect((await installations()).find((i) => i.id === 957387).workspaceId).toBeNull();
    expect((await world.outcomes())[0]).toContain("an admin must claim it");

    // Its events go nowhere meanwhile.
    const pr = pullRequestEvent();
    pr.installation.id = 957387;
    await send("pull_request", pr);
    expect((await world.outcomes())[1]).toContain("not linked to a workspace");

    const claim = await world.admin(`/workspaces/${WS}/github/installations/957387/claim`, {
      method: "POST",
    });
    expect(claim.status).toBe(200);
    expect((await installations()).find((i) => i.id === 957387).workspaceId).toBe(WS);
    const other = (await (await world.admin("/workspaces")).json()).items.find(
      (w: any) => w.name === "Other",
    );
    const again = await world.admin(`/workspaces/${other.id}/github/installations/957387/claim`, {
      method: "POST",
    });
    expect(again.status).toBe(409);
  });

  it("learns the App's login from the installation, and ignores that login afterwards", async () => {
    const created = githubExample("installation", "created", 0);
    created.installation.app_slug = "acme-codex";
    await send("installation", created);
    const pr = pullRequestEvent({ author: { login: "acme-codex[bot]", type: "Bot" } });
    pr.installation.id = 957387;
    await send("pull_request", pr);
    const [skip] = await world.audit("review.skip");
    expect(skip.after.reason).toBe("OWN_APP_AUTHOR");
  });
});
