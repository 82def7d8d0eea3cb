import { afterEach, describe, expect, it } from "vitest";
import { listReviewTriggerChoices } from "../../../src/workspace/review-choices";
import { LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import { consolePeople } from "./people";

// "My reviews": any member reaches it for themselves and chooses when Codex reviews their pull requests, per
// repository, within the repository's triggers; a refused choice is shown on the page and stores nothing.

let hub: World;
afterEach(() => hub?.close());

describe("the my reviews page", () => {
  it("is in a member's navigation and saves their own triggers, audited as them", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const home = await (await people.member.get("/")).text();
    expect(home).toContain('href="/my-reviews"');
    const page = await people.member.get("/my-reviews");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Every repository reviews your pull requests on its own triggers");

    const token = (await people.member.formFields("/my-reviews")).form_token!;
    const saved = await people.member.post("/my-reviews/triggers", {
      form_token: token,
      repository: "acme/web",
      trigger_ready_for_review: "on",
    });
    expect(saved.status).toBe(303);
    const choices = await listReviewTriggerChoices(hub.deps, LOCAL_WORKSPACE_ID, people.ids.memberId);
    expect(choices).toMatchObject([{ repository: "acme/web", triggers: ["ready_for_review"] }]);
    const [audit] = hub.audit("github.review_triggers.update");
    expect(audit.actor).toBe(`member:${people.ids.memberId}`);
    expect(await (await people.member.get("/my-reviews")).text()).toContain("ready_for_review");
  });

  it("refuses a trigger the repository does not allow, naming what it allows", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const token = (await people.member.formFields("/my-reviews")).form_token!;
    const refused = await people.member.post("/my-reviews/triggers", {
      form_token: token,
      repository: "acme/web",
      trigger_synchronize: "on",
    });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("acme/web does not allow synchronize");
    expect(html).toContain("it allows opened, ready_for_review");
    expect(await listReviewTriggerChoices(hub.deps, LOCAL_WORKSPACE_ID, people.ids.memberId)).toEqual([]);
  });
});
