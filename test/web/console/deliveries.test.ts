import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createSlackClient } from "../../../src/clients/slack/client";
import { auditLog } from "../../../src/db/schema/audit";
import { outbox } from "../../../src/db/schema/outbox";
import { maxInboxAttempts } from "../../../src/inbox/store";
import { enqueueOutbound } from "../../../src/outbox/enqueue";
import { deliverDue } from "../../../src/outbox/worker";
import { LOCAL_OWNER_ID } from "../../../src/workspace/workspaces";
import { githubExample } from "../../helpers/github-examples";
import { useMockServer } from "../../helpers/mock-server";
import { githubRequest } from "../../helpers/signers";
import { createWorld, type World } from "../../helpers/world";
import { SLACK_API, slackFake } from "../../outbox/slack-fake";
import { consolePeople } from "./people";

const server = useMockServer();
let hub: World;
afterEach(() => hub?.close());

/**
 * A hub with one dead webhook delivery (its processing step kept failing) and one dead Slack call (Slack
 * answered `not_in_channel`), beside a delivery and a call that went through.
 */
async function hubWithDeadLetters() {
  let failing = true;
  hub = createWorld({
    clients: { slack: createSlackClient({ botToken: "xoxb-test", apiUrl: SLACK_API, timeoutMs: 100 }) },
    step: async (_deps, { event }) => {
      if (failing && event.deliveryKey === "d-dead") throw new Error("the pipeline broke");
      return { outcome: "ok" };
    },
  });
  const people = await consolePeople(hub);
  for (const delivery of ["d-dead", "d-fine"]) {
    // Each its own body: the same signed body under a second delivery id would be a replay.
    const body = githubExample("pull_request", "opened");
    body.pull_request.updated_at = `2026-01-01T00:00:0${delivery === "d-dead" ? 1 : 2}Z`;
    const init = await githubRequest(body, {
      event: "pull_request",
      delivery,
      secret: hub.secrets.github.current,
    });
    expect((await hub.request("/webhooks/github", init)).status).toBe(200);
  }
  for (let i = 0; i < maxInboxAttempts; i++) {
    await hub.processor.drain();
    hub.clock.advance(60 * 60_000);
  }
  failing = false;
  const fake = slackFake(() => hub.clock.now());
  server.use(fake.handler);
  fake.script("hello", [{ kind: "error", error: "not_in_channel" }]);
  const deadCall = await enqueueOutbound(hub.deps, {
    request: { platform: "slack", operation: "chat.postMessage", args: { channel: "C9", text: "hello" } },
    dedupeKey: "reply:dead",
  });
  await enqueueOutbound(hub.deps, {
    request: { platform: "slack", operation: "chat.postMessage", args: { channel: "C1", text: "fine" } },
    dedupeKey: "reply:fine",
  });
  await deliverDue(hub.deps);
  const deadDelivery = hub.inbox().find((r) => r.deliveryKey === "d-dead")!;
  expect(deadDelivery.status).toBe("dead");
  const [call] = await hub.database.db.select().from(outbox).where(eq(outbox.id, deadCall.id));
  expect(call!.status).toBe("dead");
  return { people, deliveryId: deadDelivery.id, callId: deadCall.id };
}

const statusOfDelivery = (id: string) => hub.inbox().find((r) => r.id === id)?.status;
const statusOfCall = async (id: string) =>
  (await hub.database.db.select().from(outbox).where(eq(outbox.id, id)))[0]?.status;
const retryAudits = () =>
  hub.database.db
    .select({ actor: auditLog.actor, action: auditLog.action, target: auditLog.target })
    .from(auditLog)
    .where(eq(auditLog.actor, `member:${LOCAL_OWNER_ID}`));

describe("the deliveries page", () => {
  it("shows an owner the inbox and the outbox with dead letters first, each dead row with a Retry button", async () => {
    const { people, deliveryId, callId } = await hubWithDeadLetters();
    const page = await people.owner.get("/deliveries");
    expect(page.status).toBe(200);
    const html = await page.text();
    const inbox = html.slice(html.indexOf("Inbox:"), html.indexOf("Outbox:"));
    const outboxPart = html.slice(html.indexOf("Outbox:"));
    // Dead first, although the delivery that went through is newer.
    expect(inbox.indexOf(`id="${deliveryId}"`)).toBeLessThan(inbox.indexOf("done"));
    expect(inbox).toContain("the pipeline broke");
    expect(inbox).toContain(`action="/deliveries/inbox/${deliveryId}/retry"`);
    expect(outboxPart.indexOf(`id="${callId}"`)).toBeLessThan(outboxPart.indexOf(">sent<"));
    expect(outboxPart).toContain("slack: not_in_channel");
    expect(outboxPart).toContain(`action="/deliveries/outbox/${callId}/retry"`);
    expect(html.match(/>\s*Retry\s*</g)).toHaveLength(2);

    // The status filter narrows each list.
    const sentOnly = await (await people.owner.get("/deliveries?outbox=sent&inbox=done")).text();
    expect(sentOnly).not.toContain(callId);
    expect(sentOnly).not.toContain(deliveryId);
    expect(sentOnly).toContain('<option value="sent" selected="">sent</option>');
  });

  it("refuses a Codex Admin and a member the page and the retry, with a 403 page, changing nothing", async () => {
    const { people, deliveryId, callId } = await hubWithDeadLetters();
    for (const who of [people.admin, people.member]) {
      const page = await who.get("/deliveries");
      expect(page.status).toBe(403);
      expect(await page.text()).toContain("Only workspace owners can use this page");
      const token = await who.formFields("/");
      const inbox = await who.post(`/deliveries/inbox/${deliveryId}/retry`, token);
      expect(inbox.status).toBe(403);
      expect(await inbox.text()).toContain("Not allowed");
      expect((await who.post(`/deliveries/outbox/${callId}/retry`, token)).status).toBe(403);
    }
    expect(statusOfDelivery(deliveryId)).toBe("dead");
    expect(await statusOfCall(callId)).toBe("dead");
    const retries = await hub.database.db.select().from(auditLog).where(eq(auditLog.action, "inbox.retry"));
    expect(retries).toEqual([]);
  });

  it("refuses a retry posted without the form token, changing nothing", async () => {
    const { people, deliveryId, callId } = await hubWithDeadLetters();
    expect((await people.owner.post(`/deliveries/inbox/${deliveryId}/retry`)).status).toBe(403);
    expect(
      (await people.owner.post(`/deliveries/outbox/${callId}/retry`, { form_token: "f".repeat(64) })).status,
    ).toBe(403);
    expect(statusOfDelivery(deliveryId)).toBe("dead");
    expect(await statusOfCall(callId)).toBe("dead");
    expect(await retryAudits()).toEqual([]);
  });

  it("retries a dead delivery and a dead call from the page: pending again, in the audit log as the owner", async () => {
    const { people, deliveryId, callId } = await hubWithDeadLetters();
    const token = await people.owner.formFields("/deliveries");
    const inbox = await people.owner.post(`/deliveries/inbox/${deliveryId}/retry`, token);
    expect(inbox.status).toBe(303);
    expect(inbox.headers.get("location")).toBe("/deliveries?saved=1");
    const call = await people.owner.post(`/deliveries/outbox/${callId}/retry`, token);
    expect(call.status).toBe(303);
    expect(statusOfDelivery(deliveryId)).toBe("pending");
    expect(await statusOfCall(callId)).toBe("pending");
    expect((await retryAudits()).sort((a, b) => a.action.localeCompare(b.action))).toEqual([
      { actor: `member:${LOCAL_OWNER_ID}`, action: "inbox.retry", target: deliveryId },
      { actor: `member:${LOCAL_OWNER_ID}`, action: "outbox.retry", target: callId },
    ]);
    const after = await (await people.owner.get("/deliveries?saved=1")).text();
    expect(after).toContain("Saved. The change is in the audit log.");
    expect(after.match(/>\s*Retry\s*</g)).toBeNull();

    // Retrying again finds nothing dead: the page says so instead of pretending.
    const again = await people.owner.post(`/deliveries/outbox/${callId}/retry`, token);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("only dead calls can be retried");
  });
});
