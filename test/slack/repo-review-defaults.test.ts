import { beforeEach, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/outbox/worker";
import { useWorld, type World } from "../helpers/world";
import { setToggles } from "../helpers/world-seed";
import { seedAcme, slackWorld, WS } from "./acme";
import { command } from "./requests";
import type { SlackFake } from "./slack-fake";

// `/codex repo <owner/name>` tells a member what will happen to their pull requests: whether the workspace
// code review switch lets anything be reviewed, and that automatic reviews are on by default for every
// repository once it is.

let hub: World;
let fakes: SlackFake;
useWorld(
  (server) => slackWorld(server, { agent: () => "done" }),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  await seedAcme(hub, {}, { linkSlack: true });
});

async function repo(text: string): Promise<string> {
  const { responseUrl } = await command(hub, text, "U0MAX");
  await hub.processor.drain();
  await deliverDue(hub.deps);
  const [answer] = fakes.responses.filter((r) => r.url === responseUrl);
  return String(answer!.body.text);
}

describe("/codex repo", () => {
  it("with the workspace switch off: says nothing is reviewed until an owner turns it on", async () => {
    const shown = await repo("repo acme/web");
    expect(shown).toContain(
      "Workspace code review switch: *off*: nothing below starts a review until an owner runs `/codex settings set code-review on`",
    );
    expect(shown).toContain("Automatic reviews: *on*");
  });

  it("with the switch on: automatic reviews are on by default for every repository, and how to turn them off", async () => {
    await setToggles(hub.deps, WS, { codeReview: true });
    const shown = await repo("repo acme/api");
    expect(shown).toContain("(defaults: nobody changed them yet)");
    expect(shown).toContain("Workspace code review switch: *on*\n");
    expect(shown).toContain(
      "Automatic reviews are on by default for every repository once the workspace code review switch is on; `/codex repo acme/api auto-review off` turns them off for this one.",
    );
  });
});
