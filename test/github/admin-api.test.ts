import { describe, expect, it } from "vitest";
import { useWorld, type World } from "../helpers/world";
import { githubWorld, patchSettings, WS } from "./acme";
import { REPO } from "./github-fake";

// Review settings, the bot allow-list and members' opt-in through the admin API: validated, audited, and
// read back as the surface uses them.

let world: World;
useWorld(githubWorld, (fresh) => ({ world } = fresh));

const settingsPath = `/workspaces/${WS}/github/repositories/${REPO}/review-settings`;

describe("repository review settings", () => {
  it("starts from the defaults: reviews on, opened and ready_for_review, everyone, drafts skipped, P0-P1", async () => {
    const res = await world.admin(settingsPath);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      repository: "codertocat/hello-world",
      configured: false,
      updatedBy: null,
      updatedAt: null,
      settings: {
        reviewEnabled: true,
        autoReview: true,
        triggers: ["opened", "ready_for_review"],
        contributors: "all",
        skipDrafts: true,
        baseBranchGlobs: [],
        skipLabels: [],
        skipTitleKeywords: [],
        ignoreAuthors: [],
        minPriority: 1,
      },
    });
  });

  it("changes only what is named, audits before → after, and is case-insensitive on the repository", async () => {
    const res = await patchSettings(world, { triggers: ["synchronize"], minPriority: 2 });
    expect(res.status).toBe(200);
    const after = await (
      await world.admin(`/workspaces/${WS}/github/repositories/codertocat/HELLO-WORLD/review-settings`)
    ).json();
    expect(after).toMatchObject({ configured: true, updatedBy: "api_key:bootstrap" });
    expect(after.settings).toMatchObject({ triggers: ["synchronize"], minPriority: 2, autoReview: true });
    const [audit] = await world.audit("github.review_settings.update");
    expect(audit).toMatchObject({
      target: "codertocat/hello-world",
      before: null,
      after: { minPriority: 2 },
    });
    const list = await (await world.admin(`/workspaces/${WS}/github/review-settings`)).json();
    expect(list.items.map((i: any) => i.repository)).toEqual(["codertocat/hello-world"]);
  });

  it("refuses invalid settings with a 400 and changes nothing", async () => {
    for (const patch of [{ minPriority: 5 }, { triggers: ["closed"] }, { colour: "blue" }, {}]) {
      const res = await patchSettings(world, patch);
      expect(res.status).toBe(400);
    }
    expect((await (await world.admin(settingsPath)).json()).configured).toBe(false);
  });

  it("needs an admin key", async () => {
    const res = await world.request(`/api/v1${settingsPath}`);
    expect(res.status).toBe(401);
  });
});

describe("bot allow-list and opt-in", () => {
  it("adds, lists and removes bots by login", async () => {
    expect(
      (await world.admin(`/workspaces/${WS}/github/bots/Dependabot[bot]`, { method: "PUT" })).status,
    ).toBe(200);
    const list = await (await world.admin(`/workspaces/${WS}/github/bots`)).json();
    expect(list.items.map((b: any) => b.login)).toEqual(["dependabot[bot]"]);
    expect(
      (await world.admin(`/workspaces/${WS}/github/bots/dependabot[bot]`, { method: "DELETE" })).status,
    ).toBe(200);
    expect(
      (await world.admin(`/workspaces/${WS}/github/bots/dependabot[bot]`, { method: "DELETE" })).status,
    ).toBe(404);
    expect((await world.admin(`/workspaces/${WS}/github/bots/not a login`, { method: "PUT" })).status).toBe(
      400,
    );
  });

  it("records a member's opt-in to reviews of their own pull requests", async () => {
    const path = `/workspaces/${WS}/members/mem_max/github/review-opt-in`;
    expect(await (await world.admin(path)).json()).toEqual({ enabled: false });
    const res = await world.admin(path, { method: "PUT", body: JSON.stringify({ enabled: true }) });
    expect(await res.json()).toEqual({ enabled: true });
    expect(await (await world.admin(path)).json()).toEqual({ enabled: true });
    expect((await world.admin(`/workspaces/${WS}/members/mem_nobody/github/review-opt-in`)).status).toBe(404);
  });
});
