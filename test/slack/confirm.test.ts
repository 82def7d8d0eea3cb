import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { apps } from "../../src/db/schema/access";
import { workspaces } from "../../src/db/schema/workspaces";
import { deliverDue } from "../../src/outbox/worker";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { useWorld, type World } from "../helpers/world";
import { seedAcme, slackWorld, WS } from "./acme";
import { buttons, command, press } from "./requests";
import type { SlackFake } from "./slack-fake";

// An app set to "confirm" asks before every write made through it, `/codex` changes included: the change
// waits for its requester's "Confirm"; anyone else's press is refused and "Don't do it" changes nothing.

let hub: World;
let fakes: SlackFake;
useWorld(
  (server) => slackWorld(server),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  await seedAcme(hub, {}, { linkSlack: true });
  await hub.deps.database.db
    .update(apps)
    .set({ confirmWrites: true })
    .where(and(eq(apps.workspaceId, WS), eq(apps.kind, "slack")));
  await invalidateSnapshot(hub.deps, WS);
});

const settle = async () => {
  await hub.processor.drain();
  await deliverDue(hub.deps);
};
const answerAt = (url: string) => fakes.responses.filter((r) => r.url === url).map((r) => r.body);
const codexLocal = async () =>
  (await hub.database.db.select().from(workspaces).where(eq(workspaces.id, WS)))[0]!.codexLocal;

describe("/codex writes through a Slack app that requires confirmation", () => {
  it("asks first, refuses other people's presses, and applies the change once confirmed", async () => {
    const { responseUrl } = await command(hub, "settings set codex-local off", "U0OLGA");
    await settle();
    const [prompt] = answerAt(responseUrl);
    expect(prompt).toMatchObject({ response_type: "ephemeral" });
    expect(String(prompt!.text)).toContain("settings set codex-local off");
    expect(await codexLocal()).toBe(true);
    const [confirm, decline] = buttons(prompt!.blocks as unknown[]);
    expect(confirm!.action_id).toMatch(/^codex:confirm:slp_/);
    expect(decline!.action_id).toMatch(/^codex:decline:slp_/);

    const other = await press(hub, "U0ADA", confirm!);
    await settle();
    expect(String(answerAt(other.responseUrl)[0]?.text)).toContain("Only the person who asked");
    expect(await codexLocal()).toBe(true);

    const mine = await press(hub, "U0OLGA", confirm!);
    await settle();
    expect(answerAt(mine.responseUrl)[0]).toMatchObject({ replace_original: true });
    expect(String(answerAt(mine.responseUrl)[0]?.text)).toContain(
      "codex-local (Codex local (app, CLI, IDE extension)): `on` → `off`",
    );
    expect(await codexLocal()).toBe(false);
    const audit = await hub.audit();
    expect(audit.filter((a) => a.action === "toggles.update")).toHaveLength(1);
    expect(audit.filter((a) => a.action === "decision.settings.change").map((a) => a.code)).toEqual([
      "CONFIRMATION_REQUIRED",
      "ALLOWED",
    ]);

    // The same confirmation cannot be used twice.
    const again = await press(hub, "U0OLGA", confirm!);
    await settle();
    expect(String(answerAt(again.responseUrl)[0]?.text)).toContain("already answered");
  });

  it("changes nothing when the requester declines", async () => {
    const { responseUrl } = await command(hub, "settings set codex-local off", "U0OLGA");
    await settle();
    const [, decline] = buttons(answerAt(responseUrl)[0]!.blocks as unknown[]);
    const pressed = await press(hub, "U0OLGA", decline!);
    await settle();
    expect(String(answerAt(pressed.responseUrl)[0]?.text)).toBe("Nothing was changed.");
    expect(await codexLocal()).toBe(true);
    expect((await hub.audit()).filter((a) => a.action === "toggles.update")).toEqual([]);
  });

  it("reads need no confirmation", async () => {
    const { responseUrl } = await command(hub, "settings", "U0OLGA");
    await settle();
    expect(String(answerAt(responseUrl)[0]?.text)).toContain("*Workspace settings*");
  });
});
