import { beforeEach, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/outbox/worker";
import { listReviewTriggerChoices } from "../../src/workspace/review-choices";
import { useWorld, type World } from "../helpers/world";
import { type Person, seedAcme, slackWorld, WS } from "./acme";
import { command } from "./requests";
import type { SlackFake } from "./slack-fake";

// `/codex review me`: a member shows and chooses when Codex reviews their own pull requests, per repository,
// within what the repository allows; an event the repository does not allow is refused, naming what it allows.

let hub: World;
let fakes: SlackFake;
useWorld(
  (server) => slackWorld(server),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  await seedAcme(hub, {}, { linkSlack: true });
});

async function run(text: string, user: Person = "U0MAX"): Promise<string> {
  const { res, responseUrl } = await command(hub, text, user);
  expect(res.status).toBe(200);
  await hub.processor.drain();
  await deliverDue(hub.deps);
  const answers = fakes.responses.filter((r) => r.url === responseUrl);
  expect(answers).toHaveLength(1);
  return String(answers[0]!.body.text);
}

const maxChoices = () => listReviewTriggerChoices(hub.deps, WS, "mem_max");

describe("/codex review me", () => {
  it("shows that every repository uses its own triggers until the member chooses", async () => {
    const answer = await run("review me");
    expect(answer).toContain("Automatic reviews of your pull requests");
    expect(answer).toContain("Every repository reviews your pull requests on its own triggers");
  });

  it("chooses triggers for a repository, shows them, and audits the change", async () => {
    expect(await run("review me acme/web ready_for_review")).toContain(
      "Your review triggers in acme/web: `repository default` → `ready_for_review`",
    );
    expect(await maxChoices()).toMatchObject([{ repository: "acme/web", triggers: ["ready_for_review"] }]);
    const [audit] = await hub.audit("github.review_triggers.update");
    expect(audit).toMatchObject({ actor: "member:mem_max", after: { triggers: ["ready_for_review"] } });
    expect(await run("review me")).toContain("acme/web: `ready_for_review`");
    const one = await run("review me acme/web");
    expect(one).toContain("Yours: `ready_for_review`");
    expect(one).toContain("The repository allows: `opened, ready_for_review`");
  });

  it("refuses a trigger the repository does not allow, naming what it allows", async () => {
    const answer = await run("review me acme/web synchronize");
    expect(answer).toContain("🚫 acme/web does not allow synchronize as a review trigger");
    expect(answer).toContain("it allows opened, ready_for_review");
    expect(await maxChoices()).toEqual([]);
    expect(await hub.audit("github.review_triggers.update")).toEqual([]);
  });

  it("turns reviews off in a repository, and goes back to the repository's triggers", async () => {
    expect(await run("review me acme/web off")).toContain("`repository default` → `off`");
    expect(await maxChoices()).toMatchObject([{ triggers: [] }]);
    expect(await run("review me acme/web default")).toContain("`off` → `repository default`");
    expect(await maxChoices()).toEqual([]);
    expect(await hub.audit("github.review_triggers.clear")).toHaveLength(1);
  });

  it("without a repository, `on`/`off` is the workspace-wide opt-in", async () => {
    expect(await run("review me on")).toContain("your own pull requests: `off` → `on`");
    expect(await hub.audit("github.review_opt_in.update")).toHaveLength(1);
  });

  it("answers unreadable events with the usage", async () => {
    expect(await run("review me acme/web sometimes")).toContain("Unknown event `sometimes`");
  });
});
