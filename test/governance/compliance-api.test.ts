import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { taskEvents } from "../../src/db/schema/tasks";
import { manualClock } from "../../src/lib/clock";
import { createTask } from "../../src/tasks/service";
import { adminClient, expectEnvelope } from "../admin/helpers";
import { createWorld, type World } from "../helpers/world";
import { ACME, seedWorkspace } from "../helpers/world-seed";
import { newTask } from "../tasks/fixtures";
import { complianceClient, keyWith, lines } from "./compliance";

// The Compliance API's scopes, its task and environment listings (keyset pages, time windows) and the
// deletion of a task's text, as an eDiscovery tool holding its own key sees them.

const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);
const SECOND = 1000;

let hub: World;
let reader: string;
let eraser: string;
let api: ReturnType<typeof complianceClient>;

beforeEach(async () => {
  hub = createWorld({
    clock: manualClock(T0),
    agent: async (task, context) => {
      context.onProgress({ type: "thought", text: `thinking about ${task.prompt}` });
      return `Answer to ${task.prompt}`;
    },
  });
  await seedWorkspace(hub.deps, {
    owner: { id: "mem_olga", email: "olga@acme.test" },
    members: [{ id: "mem_max", email: "max@acme.test" }],
    environments: [
      { id: "env_web", name: "web" },
      { id: "env_api", name: "api", private: true, collaborators: ["mem_max"] },
    ],
  });
  reader = await keyWith(hub, ["compliance.read"]);
  eraser = await keyWith(hub, ["compliance.delete"]);
  api = complianceClient(hub, reader, ACME);
});
afterEach(() => hub.close());

async function task(prompt: string, options: { run?: boolean } = {}) {
  const created = await createTask(
    hub.deps,
    newTask({
      workspaceId: ACME,
      requesterMemberId: "mem_max",
      environmentId: "env_web",
      prompt,
      title: prompt,
    }),
  );
  if (options.run !== false) await hub.taskRunner.drain();
  return created.task.id;
}

describe("scopes", () => {
  it("compliance.read reads the Compliance API and nothing else; compliance.delete only erases", async () => {
    const id = await task("check the scopes");
    expect((await api.json("/logs?event_type=CODEX_LOG")).status).toBe(200);
    expect((await api.json("/codex_tasks")).status).toBe(200);
    expect((await api.json("/codex_environments")).status).toBe(200);

    // Not the admin API, not SCIM, and not the deletion.
    const asReader = adminClient(hub, reader);
    for (const path of ["/workspaces", `/workspaces/${ACME}/audit`, `/tasks/${id}`]) {
      const res = await asReader.call("GET", path);
      expect(res.status, path).toBe(403);
      expectEnvelope(res.body, "forbidden");
    }
    const scim = await hub.request("/scim/v2/Users", { headers: { authorization: `Bearer ${reader}` } });
    expect(scim.status).toBe(403);
    const refused = await api.delete(`/codex_tasks/${id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain("`compliance.delete`");
    expect((await hub.task(id)).prompt).toBe("check the scopes");

    // The eraser erases, and reads nothing.
    const erasing = complianceClient(hub, eraser, ACME);
    expect((await erasing.json("/codex_tasks")).status).toBe(403);
    expect((await erasing.delete(`/codex_tasks/${id}`)).status).toBe(200);

    // An admin key is not a compliance key.
    const admin = complianceClient(hub, await keyWith(hub, ["admin"]), ACME);
    expect((await admin.json("/logs")).status).toBe(403);
    expect((await admin.delete(`/codex_tasks/${id}`)).status).toBe(403);
  });

  it("documents each operation with the scope it needs and examples", async () => {
    const doc = (await (await hub.request("/api/v1/openapi.json")).json()) as any;
    const base = "/compliance/workspaces/{workspace_id}";
    const scopeOf = (path: string, method: string) => doc.paths[`${base}${path}`][method].security[0].bearer;
    expect(scopeOf("/logs", "get")).toEqual(["compliance.read"]);
    expect(scopeOf("/logs/{log_file_id}", "get")).toEqual(["compliance.read"]);
    expect(scopeOf("/codex_tasks", "get")).toEqual(["compliance.read"]);
    expect(scopeOf("/codex_environments", "get")).toEqual(["compliance.read"]);
    expect(scopeOf("/codex_tasks/{task_id}", "delete")).toEqual(["compliance.delete"]);
    const download = doc.paths[`${base}/logs/{log_file_id}`].get.responses[200].content["application/jsonl"];
    expect(JSON.parse(download.schema.example)).toMatchObject({
      event_type: "CODEX_LOG",
      type: "task.finished",
    });
    expect(doc.components.schemas.ComplianceLogFile.properties.sha256.example).toMatch(/^[0-9a-f]{64}$/);
  });

  it("answers 404 for a workspace that does not exist", async () => {
    const other = complianceClient(hub, reader, "ws_nope");
    for (const path of ["/logs", "/codex_tasks", "/codex_environments"]) {
      const res = await other.json(path);
      expect(res.status, path).toBe(404);
      expectEnvelope(res.body, "not_found");
    }
  });
});

describe("GET codex_tasks", () => {
  it("lists tasks oldest first in the compliance shape", async () => {
    const id = await task("fix the flaky login test");
    const page = await api.ok("/codex_tasks");
    expect(page).toMatchObject({ object: "list", has_more: false, next_page: null });
    expect(page.data).toEqual([
      expect.objectContaining({
        id,
        object: "codex.task",
        workspace_id: ACME,
        kind: "task",
        status: "completed",
        surface: "api",
        requester: { member_id: "mem_max", email: "max@acme.test" },
        environment: { id: "env_web", name: "web", repository: "acme/web" },
        text_retained: true,
        content_erasure: null,
        prompt: "fix the flaky login test",
        answer: "Answer to fix the flaky login test",
        created_at: new Date(T0).toISOString(),
        finished_at: new Date(T0).toISOString(),
      }),
    ]);
  });

  it("pages across a page boundary while tasks are added: none repeated, none missed", async () => {
    const ids: string[] = [];
    // Some share a creation time (the keyset's id breaks the tie), some do not.
    for (let i = 0; i < 5; i++) {
      if (i % 2 === 0) hub.clock.advance(SECOND);
      ids.push(await task(`task ${i}`, { run: false }));
    }
    let added = 0;
    const seen = await api.all("/codex_tasks?limit=2", async () => {
      // Between pages, new tasks arrive (and a queued one starts and finishes: rows change too).
      if (added < 3) {
        if (added === 1) hub.clock.advance(SECOND);
        ids.push(await task(`added ${added++}`, { run: false }));
      }
      await hub.taskRunner.drain();
    });
    expect(seen.map((t: any) => t.id)).toEqual(ids);
    expect(new Set(seen.map((t: any) => t.id)).size).toBe(8);
  });

  it("filters by creation time: start_time inclusive, end_time exclusive, RFC 3339 or Unix seconds", async () => {
    const at = (s: number) => T0 + s * SECOND;
    const ids: string[] = [];
    for (const s of [0, 1, 2, 3]) {
      hub.clock.set(at(s));
      ids.push(await task(`at ${s}`, { run: false }));
    }
    const rfc = (s: number) => new Date(at(s)).toISOString();
    const within = async (query: string) =>
      (await api.ok(`/codex_tasks?${query}`)).data.map((t: any) => t.id);

    expect(await within(`start_time=${rfc(1)}&end_time=${rfc(3)}`)).toEqual([ids[1], ids[2]]);
    expect(await within(`start_time=${at(1) / 1000}&end_time=${at(3) / 1000}`)).toEqual([ids[1], ids[2]]);
    expect(await within(`start_time=${encodeURIComponent("2026-03-01T11:00:02+01:00")}`)).toEqual([
      ids[2],
      ids[3],
    ]);
    expect(await within(`end_time=${rfc(0)}`)).toEqual([]);
    expect(await within(`start_time=${rfc(3)}&end_time=${rfc(3)}`)).toEqual([]);
    expect(await within(`start_time=${new Date(at(3) + 1).toISOString()}`)).toEqual([]);

    for (const bad of [
      "start_time=yesterday",
      "start_time=2026-13-01T00:00:00Z",
      `start_time=${rfc(2)}&end_time=${rfc(1)}`,
      "limit=0",
      "limit=1001",
      "page=not-a-cursor",
    ]) {
      const res = await api.json(`/codex_tasks?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toMatch(/bad_request|invalid_body/);
    }
  });
});

describe("GET codex_environments", () => {
  it("lists environments with their visibility and collaborators, paged", async () => {
    const all = await api.all("/codex_environments?limit=1");
    expect(all.map((e: any) => e.id).sort()).toEqual(["env_api", "env_web"]);
    expect(all.find((e: any) => e.id === "env_api")).toMatchObject({
      object: "codex.environment",
      workspace_id: ACME,
      name: "api",
      repository: "acme/api",
      visibility: "private",
      creator_member_id: "mem_olga",
      collaborator_member_ids: ["mem_max"],
      internet: { mode: "off" },
    });
    const later = new Date(hub.clock.now() + 1).toISOString();
    expect((await api.ok(`/codex_environments?start_time=${later}`)).data).toEqual([]);
  });
});

describe("DELETE codex_tasks/{task_id}", () => {
  it("erases the task's text, keeps its record, and audits who asked", async () => {
    const id = await task("summarise the incident with customer ACME-4471");
    const erasing = complianceClient(hub, eraser, ACME);
    const res = await erasing.delete(`/codex_tasks/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id,
      object: "codex.task.content",
      deleted: true,
      already_erased: false,
      audit_id: expect.stringMatching(/^aud_/),
      task: {
        id,
        status: "completed",
        requester: { member_id: "mem_max" },
        environment: { id: "env_web" },
        text_retained: false,
        content_erasure: { reason: "deleted" },
        prompt: null,
        answer: null,
      },
    });

    const row = await hub.task(id);
    expect(row).toMatchObject({
      status: "completed",
      prompt: "",
      answer: null,
      context: "{}",
      title: "Task (text deleted)",
      contentErasure: "deleted",
    });
    const progress = hub.rows(taskEvents).filter((e) => e.taskId === id);
    expect(progress.map((e) => [e.type, e.text])).toEqual([["thought", ""]]);
    expect(JSON.stringify(hub.tasks())).not.toContain("ACME-4471");

    const keyId = (await adminClient(hub).ok("GET", "/api-keys")).items.find(
      (k: any) => k.scopes.join() === "compliance.delete",
    ).id;
    const [audit] = hub.audit("task.content_delete");
    expect(audit).toMatchObject({
      id: res.body.audit_id,
      workspaceId: ACME,
      actor: `api_key:${keyId}`,
      target: id,
    });

    // The log records the deletion and who asked; the task is listed without its text.
    const [file] = (await api.ok("/logs")).data;
    const events = lines((await api.download(file.id)).text);
    expect(events.find((e) => e.type === "task.content_delete")).toMatchObject({
      actor: `api_key:${keyId}`,
      target: id,
    });
    expect(events.find((e) => e.type === "task.content_erased").data).toMatchObject({
      text_retained: false,
      content_erasure: "deleted",
      prompt: "",
    });
    const listed = (await api.ok("/codex_tasks")).data[0];
    expect(listed).toMatchObject({ id, text_retained: false, prompt: null, title: null });

    // Asked again: nothing left to erase, the request is audited all the same.
    const again = await erasing.delete(`/codex_tasks/${id}`);
    expect(again.body).toMatchObject({ deleted: true, already_erased: true });
    expect(hub.audit("task.content_delete")).toHaveLength(2);
  });

  it("refuses a task still queued (409), and one it does not know or of another workspace (404)", async () => {
    const erasing = complianceClient(hub, eraser, ACME);
    const queued = await task("still waiting", { run: false });
    const res = await erasing.delete(`/codex_tasks/${queued}`);
    expect(res.status).toBe(409);
    expectEnvelope(res.body, "conflict");
    expect((await hub.task(queued)).prompt).toBe("still waiting");
    expect((await erasing.delete("/codex_tasks/tsk_nope")).status).toBe(404);
    await hub.taskRunner.drain();
    const elsewhere = complianceClient(hub, eraser, "ws_local");
    await hub.ready;
    expect((await elsewhere.delete(`/codex_tasks/${queued}`)).status).toBe(404);
    expect(hub.audit("task.content_delete")).toEqual([]);
    expect(hub.rows(taskEvents).filter((e) => e.taskId === queued && e.text === "")).toEqual([]);
  });
});
