import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  listSubscriptions,
  subscribe,
  subscribedChannels,
  unsubscribe,
} from "../../src/notify/subscriptions";
import { createWorld, type World } from "../helpers/world";
import { seedAcme } from "./acme";

let hub: World;
beforeEach(async () => {
  hub = createWorld();
  await seedAcme(hub);
});
afterEach(() => hub.close());

const on = (channelId: string, environmentId: string | null) => {
  hub.clock.advance(1000);
  return subscribe(hub.deps, {
    workspaceId: "ws_acme",
    environmentId,
    slackTeamId: "T1",
    channelId,
    createdBy: "mem_max",
  });
};

describe("notification subscriptions (/codex notify on|off [env])", () => {
  it("subscribes once per channel and environment", async () => {
    const first = await on("C1", null);
    const again = await on("C1", null);
    expect(first.created).toBe(true);
    expect(again).toEqual({ subscription: first.subscription, created: false });
    await on("C1", "env_web");
    expect(
      (await listSubscriptions(hub.deps, { workspaceId: "ws_acme" })).map((s) => s.environmentId),
    ).toEqual([null, "env_web"]);
  });

  it("turns off one environment, the all-environments subscription, or everything of a channel", async () => {
    await on("C1", null);
    await on("C1", "env_web");
    await on("C1", "env_secret");
    await on("C2", null);
    expect(
      await unsubscribe(hub.deps, { workspaceId: "ws_acme", channelId: "C1", environmentId: "env_web" }),
    ).toBe(1);
    expect(
      await unsubscribe(hub.deps, { workspaceId: "ws_acme", channelId: "C1", environmentId: null }),
    ).toBe(1);
    expect(
      (await listSubscriptions(hub.deps, { workspaceId: "ws_acme", channelId: "C1" })).map(
        (s) => s.environmentId,
      ),
    ).toEqual(["env_secret"]);
    await on("C1", "env_web");
    expect(await unsubscribe(hub.deps, { workspaceId: "ws_acme", channelId: "C1" })).toBe(2);
    expect(await listSubscriptions(hub.deps, { workspaceId: "ws_acme", channelId: "C1" })).toEqual([]);
    expect(await subscribedChannels(hub.deps, "ws_acme", "env_web")).toEqual([
      { slackTeamId: "T1", channelId: "C2" },
    ]);
  });

  it("tells only all-environment subscribers about a task without environment", async () => {
    await on("C_ALL", null);
    await on("C_WEB", "env_web");
    expect((await subscribedChannels(hub.deps, "ws_acme", null)).map((c) => c.channelId)).toEqual(["C_ALL"]);
  });
});
