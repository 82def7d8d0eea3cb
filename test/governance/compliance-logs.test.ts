import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { manualClock } from "../../src/lib/clock";
import { createTask } from "../../src/tasks/service";
import { LOCAL_OWNER_ID, LOCAL_WORKSPACE_ID } from "../../src/workspace/workspaces";
import { adminClient } from "../admin/helpers";
import { createWorld, type World } from "../helpers/world";
import { newTask } from "../tasks/fixtures";
import { complianceClient, keyWith, lines, sha256 } from "./compliance";

// The Compliance API's log files as a SIEM or eDiscovery tool reads them: CODEX_LOG files listed with their
// digest, downloaded as JSON Lines (gzip when asked), the open one growing, closed ones never changing.

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);

let hub: World;
let logs: ReturnType<typeof complianceClient>;

function makeHub(env: Record<string, string> = {}) {
  hub = createWorld({
    clock: manualClock(T0),
    env,
    agent: (task) => `Done: ${task.prompt}`,
  });
}

async function runTask(prompt: string) {
  const { task } = await createTask(
    hub.deps,
    newTask({ workspaceId: LOCAL_WORKSPACE_ID, requesterMemberId: LOCAL_OWNER_ID, prompt, title: prompt }),
  );
  await hub.taskRunner.drain();
  return task.id;
}

const listed = async (query = "") => (await logs.ok(`/logs?event_type=CODEX_LOG${query}`)).data as any[];

afterEach(() => hub.close());

describe("CODEX_LOG files", () => {
  beforeEach(async () => {
    makeHub();
    await hub.ready;
    logs = complianceClient(hub, await keyWith(hub, ["compliance.read"]), LOCAL_WORKSPACE_ID);
  });

  it("logs every task (requested, started, finished, with who, where, prompt and answer), setting change and API-key change", async () => {
    const taskId = await runTask("rotate the signing keys");
    await adminClient(hub).ok("PATCH", `/workspaces/${LOCAL_WORKSPACE_ID}/toggles`, {
      slackFullAnswers: true,
    });
    const scimKey = await keyWith(hub, ["scim"]);
    const provisioned = await hub.request("/scim/v2/Users", {
      method: "POST",
      headers: { authorization: `Bearer ${scimKey}`, "content-type": "application/scim+json" },
      body: JSON.stringify({
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: "grace@acme.test",
        emails: [{ value: "grace@acme.test", primary: true }],
      }),
    });
    expect(provisioned.status).toBe(201);

    const [file] = await listed();
    expect(file).toMatchObject({ object: "compliance.log_file", event_type: "CODEX_LOG", open: true });
    const events = lines((await logs.download(file.id)).text);
    expect(file.event_count).toBe(events.length);
    expect(events.map((e) => e.type)).toEqual([
      "workspace.create",
      "api_key.create",
      "task.requested",
      "task.started",
      "task.finished",
      "toggles.update",
      "api_key.create",
      "member.create",
    ]);
    for (const event of events) {
      expect(event).toMatchObject({
        id: expect.stringMatching(/^cle_\d+$/),
        event_type: "CODEX_LOG",
        workspace_id: LOCAL_WORKSPACE_ID,
        timestamp: new Date(T0).toISOString(),
      });
    }
    const finished = events.find((e) => e.type === "task.finished");
    expect(finished).toMatchObject({
      actor: `member:${LOCAL_OWNER_ID}`,
      target: taskId,
      data: {
        task_id: taskId,
        status: "completed",
        surface: "api",
        requester: { member_id: LOCAL_OWNER_ID, email: "admin@example.com" },
        prompt: "rotate the signing keys",
        answer: "Done: rotate the signing keys",
        text_retained: true,
      },
    });
    expect(events.find((e) => e.type === "task.requested").data).toMatchObject({
      status: "queued",
      answer: null,
    });
    expect(events.find((e) => e.type === "toggles.update").data).toMatchObject({
      before: { slackFullAnswers: false },
      after: { slackFullAnswers: true },
    });
    expect(events.find((e) => e.type === "member.create")).toMatchObject({
      actor: expect.stringMatching(/^scim:key_/),
      data: { after: { email: "grace@acme.test" } },
    });
    expect(events.find((e) => e.type === "api_key.create")).toMatchObject({
      actor: "api_key:bootstrap",
      data: { after: { scopes: ["compliance.read"] } },
    });
  });

  it("downloads JSON Lines whose SHA-256 is the one listed, plain or gzip-compressed", async () => {
    await runTask("first");
    const [file] = await listed();
    const plain = await logs.download(file.id);
    expect(plain.res.headers.get("content-type")).toBe("application/jsonl; charset=utf-8");
    expect(plain.res.headers.get("content-encoding")).toBeNull();
    expect(plain.text.endsWith("\n")).toBe(true);
    expect(plain.bytes.byteLength).toBe(file.size);
    expect(sha256(plain.bytes)).toBe(file.sha256);
    expect(plain.res.headers.get("etag")).toBe(`"${file.sha256}"`);

    const gz = await logs.download(file.id, { gzip: true });
    expect(gz.res.headers.get("content-encoding")).toBe("gzip");
    expect(gz.res.headers.get("vary")).toBe("Accept-Encoding");
    expect([gz.raw[0], gz.raw[1]]).toEqual([0x1f, 0x8b]);
    expect(gz.raw.byteLength).toBeLessThan(gz.bytes.byteLength);
    expect(sha256(gz.bytes)).toBe(file.sha256);
    expect(gz.text).toBe(plain.text);
    // gzip refused with q=0 is not sent.
    const refused = await logs.get(`/logs/${file.id}`, { "accept-encoding": "gzip;q=0, identity" });
    expect(refused.headers.get("content-encoding")).toBeNull();
  });

  it("keeps the current file open while its hour lasts, then closes it; a closed file never changes", async () => {
    const firstTask = await runTask("first task");
    const [open] = await listed();
    expect(open.open).toBe(true);
    expect(open.closed_at).toBeNull();
    const asItStood = await logs.download(open.id);
    expect(asItStood.res.headers.get("cache-control")).toBe("no-store");

    // Still the same hour: the open file grows, its digest moves with it, its id stays.
    hub.clock.advance(HOUR / 2);
    await runTask("second task");
    const [grown] = await listed();
    expect(grown).toMatchObject({ id: open.id, open: true });
    expect(grown.event_count).toBe(open.event_count + 3);
    expect(grown.sha256).not.toBe(open.sha256);
    expect((await logs.download(open.id)).text.startsWith(asItStood.text)).toBe(true);

    // The hour ends: the file closes as it stood; the next event opens a new one.
    hub.clock.set(T0 + HOUR);
    const [closed] = await listed();
    expect(closed).toMatchObject({ id: open.id, open: false, closed_at: new Date(T0 + HOUR).toISOString() });
    expect(closed.sha256).toBe(grown.sha256);
    expect(closed.end_time).toBe(new Date(T0 + HOUR / 2).toISOString());
    const stored = await logs.download(closed.id);
    expect(stored.res.headers.get("cache-control")).toContain("immutable");
    expect(sha256(stored.bytes)).toBe(closed.sha256);

    // Later events, a setting change, and the deletion of a task the closed file records change nothing in it.
    await runTask("third task");
    await adminClient(hub).ok("PATCH", `/workspaces/${LOCAL_WORKSPACE_ID}/toggles`, { agentInternet: true });
    const eraser = complianceClient(hub, await keyWith(hub, ["compliance.delete"]), LOCAL_WORKSPACE_ID);
    expect((await eraser.delete(`/codex_tasks/${firstTask}`)).status).toBe(200);
    hub.clock.advance(3 * HOUR);

    const files = await listed();
    expect(files.map((f) => [f.id, f.open])).toEqual([
      [closed.id, false],
      [expect.any(String), false],
    ]);
    expect(files[0]).toEqual(closed);
    const again = await logs.download(closed.id);
    expect(again.text).toBe(stored.text);
    expect(sha256(again.bytes)).toBe(closed.sha256);
    expect(again.text).toContain("first task");
    // The deletion is recorded in the file of its own hour.
    const later = lines((await logs.download(files[1].id)).text);
    expect(later.map((e) => e.type)).toEqual(
      expect.arrayContaining(["task.content_delete", "task.content_erased", "toggles.update"]),
    );
  });

  it("lists files after a time, pages through them, and lists the reserved CODEX_SECURITY_LOG as empty", async () => {
    for (let hour = 0; hour < 3; hour++) {
      hub.clock.set(T0 + hour * HOUR + 60_000);
      await runTask(`task in hour ${hour}`);
    }
    const all = await listed();
    expect(all.map((f) => f.open)).toEqual([false, false, true]);
    // `after` keeps files with an event later than it: the one whose last event is exactly then is left out.
    const firstEnd = all[0].end_time;
    expect((await listed(`&after=${firstEnd}`)).map((f) => f.id)).toEqual([all[1].id, all[2].id]);
    const unix = Math.floor(Date.parse(all[1].end_time) / 1000) + 1;
    expect((await listed(`&after=${unix}`)).map((f) => f.id)).toEqual([all[2].id]);

    const paged = await logs.all("/logs?event_type=CODEX_LOG&limit=1");
    expect(paged.map((f: any) => f.id)).toEqual(all.map((f) => f.id));

    expect(await logs.ok("/logs?event_type=CODEX_SECURITY_LOG")).toEqual({
      object: "list",
      data: [],
      has_more: false,
      next_page: null,
    });
    expect((await logs.json("/logs?event_type=CODEX_CHAT_LOG")).status).toBe(400);
    expect((await logs.json("/logs?after=last%20week")).status).toBe(400);
    expect((await logs.json("/logs?page=bm9wZQ")).status).toBe(400);
    expect((await logs.json("/logs/clf_999999")).status).toBe(404);
  });
});

describe("a file that reaches its size", () => {
  it("closes at HUB_COMPLIANCE_LOG_MAX_EVENTS events, before its hour ends", async () => {
    makeHub({ HUB_COMPLIANCE_LOG_MAX_EVENTS: "4" });
    await hub.ready;
    logs = complianceClient(hub, await keyWith(hub, ["compliance.read"]), LOCAL_WORKSPACE_ID);
    // workspace.create, api_key.create, then three events per task: 11 events.
    for (const prompt of ["a", "b", "c"]) await runTask(prompt);
    const files = await listed();
    expect(files.map((f) => [f.event_count, f.open])).toEqual([
      [4, false],
      [4, false],
      [3, true],
    ]);
    const seqs = [];
    for (const file of files) {
      const events = lines((await logs.download(file.id)).text);
      expect(events).toHaveLength(file.event_count);
      seqs.push(...events.map((e) => Number(e.id.slice(4))));
    }
    // Nothing lost or repeated at the cuts.
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(11);
  });
});
