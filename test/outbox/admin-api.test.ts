import { eq } from "drizzle-orm";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSlackClient } from "../../src/clients/slack/client";
import { auditLog } from "../../src/db/schema/audit";
import { enqueueOutbound } from "../../src/outbox/enqueue";
import { deliverDue } from "../../src/outbox/worker";
import { createWorld, type World } from "../helpers/world";
import { SLACK_API, slackFake } from "./slack-fake";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let hub: World;
afterEach(() => hub?.close());

interface Item {
  id: string;
  status: string;
  attempts: number;
  lastError: string | null;
  args: Record<string, unknown>;
}

describe("dead outbound calls for admins", () => {
  it("are listed at GET /api/v1/outbox?status=dead and sent after POST /api/v1/outbox/{id}/retry", async () => {
    hub = createWorld({
      clients: { slack: createSlackClient({ botToken: "xoxb-test", apiUrl: SLACK_API, timeoutMs: 100 }) },
    });
    const fake = slackFake(() => hub.clock.now());
    server.use(fake.handler);
    // The bot was not in the channel; an admin invites it and retries.
    fake.script("hello", [{ kind: "error", error: "not_in_channel" }]);
    const dead = await enqueueOutbound(hub.deps, {
      request: { platform: "slack", operation: "chat.postMessage", args: { channel: "C9", text: "hello" } },
      dedupeKey: "reply:tsk_dead",
      taskId: "tsk_dead",
    });
    await enqueueOutbound(hub.deps, {
      request: { platform: "slack", operation: "chat.postMessage", args: { channel: "C1", text: "fine" } },
      dedupeKey: "reply:tsk_ok",
    });
    await deliverDue(hub.deps);

    const anonymous = await hub.request("/api/v1/outbox?status=dead");
    expect(anonymous.status).toBe(401);

    const list = await hub.request("/api/v1/outbox?status=dead", { headers: hub.adminHeaders });
    expect(list.status).toBe(200);
    const { items } = (await list.json()) as { items: Item[] };
    expect(items).toEqual([
      expect.objectContaining({
        id: dead.id,
        status: "dead",
        attempts: 1,
        lastError: "slack: not_in_channel",
        args: { channel: "C9", text: "hello" },
        taskId: "tsk_dead",
      }),
    ]);

    // Only dead calls can be retried; unknown ids are 404.
    const sent = (await (
      await hub.request("/api/v1/outbox?status=sent", { headers: hub.adminHeaders })
    ).json()) as {
      items: Item[];
    };
    const notDead = await hub.request(`/api/v1/outbox/${sent.items[0]!.id}/retry`, {
      method: "POST",
      headers: hub.adminHeaders,
    });
    expect(notDead.status).toBe(409);
    const missing = await hub.request("/api/v1/outbox/out_nope/retry", {
      method: "POST",
      headers: hub.adminHeaders,
    });
    expect(missing.status).toBe(404);

    let woken = 0;
    hub.onOutboxWake(() => woken++);
    const retry = await hub.request(`/api/v1/outbox/${dead.id}/retry`, {
      method: "POST",
      headers: hub.adminHeaders,
    });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ id: dead.id, status: "pending", attempts: 0 });
    expect(woken).toBe(1);
    const audits = hub.database.db.select().from(auditLog).where(eq(auditLog.action, "outbox.retry")).all();
    expect(audits).toEqual([expect.objectContaining({ target: dead.id, actor: "api_key:bootstrap" })]);

    expect(await deliverDue(hub.deps)).toMatchObject({ claimed: 1, sent: 1 });
    expect(fake.delivered().map((c) => c.args.channel)).toEqual(["C1", "C9"]);
    const after = (await (
      await hub.request("/api/v1/outbox?status=dead", { headers: hub.adminHeaders })
    ).json()) as {
      items: Item[];
    };
    expect(after.items).toEqual([]);
  });
});
