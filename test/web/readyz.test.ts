import { afterEach, describe, expect, it } from "vitest";
import { createWorld, type World } from "../helpers/world";
import { githubDelivery, send } from "../ingress/deliveries";

let hub: World;
afterEach(() => hub?.close());

const webhook = async (h: World) =>
  send(
    h,
    "/webhooks/github",
    await githubDelivery("pull_request", "opened", { secret: h.secrets.github.current, at: h.clock.now() }),
  );

describe("/readyz and failing writes", () => {
  it("is not ready while the last inbox write failed, and ready again once a write lands", async () => {
    hub = createWorld();
    expect((await hub.request("/readyz")).status).toBe(200);

    // The storage refuses writes (as with a full disk) while reads still work.
    hub.database.sqlite.pragma("query_only = ON");
    expect((await webhook(hub)).status).toBe(500);
    const down = await hub.request("/readyz");
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: "not_ready",
      database: "reachable",
      reason: "the last database write failed",
      writes: [
        { writer: "http", error: expect.stringMatching(/^SQLITE_READONLY/), since: expect.any(String) },
      ],
    });

    hub.database.sqlite.pragma("query_only = OFF");
    expect((await webhook(hub)).status).toBe(200);
    expect(hub.deps.writes.failing()).toEqual([]);
    expect(await (await hub.request("/readyz")).json()).toMatchObject({ status: "ready" });
  });

  it("is not ready while background writes fail, and its own write brings it back with no other traffic", async () => {
    hub = createWorld();
    expect((await webhook(hub)).status).toBe(200);
    hub.database.sqlite.pragma("query_only = ON");
    // The processor's claim is a write.
    await expect(hub.processor.tick()).rejects.toThrow(/readonly/);
    expect((await hub.request("/readyz")).status).toBe(503);
    // Still refused: the readiness check's own write fails too.
    expect((await hub.request("/readyz")).status).toBe(503);

    hub.database.sqlite.pragma("query_only = OFF");
    expect((await hub.request("/readyz")).status).toBe(200);
    expect(await hub.processor.tick()).toBe(1);
  });

  it("is not ready when the database cannot be reached", async () => {
    hub = createWorld();
    hub.database.close();
    const res = await hub.request("/readyz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: "not_ready", database: "unreachable" });
  });
});
