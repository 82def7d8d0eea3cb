import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { inbox } from "../../src/db/schema/inbox";
import { outbox } from "../../src/db/schema/outbox";
import { taskEvents } from "../../src/db/schema/tasks";
import { useMockServer } from "../helpers/mock-server";
import { sessionCookieFor } from "../helpers/sign-in";
import { removeTempDir } from "../helpers/temp-dir";
import type { World } from "../helpers/world";
import { setToggles } from "../helpers/world-seed";
import { seedAcme, slackWorld, WS } from "../slack/acme";
import { BOT, blocksText, mention } from "../slack/requests";
import type { SlackFake } from "../slack/slack-fake";
import { complianceClient, keyWith, lines } from "./compliance";

// Zero data retention, proven on the bytes of the database files: a Slack mention whose prompt, thread and
// answer carry unique markers runs end to end on a hub whose SQLite database is a file (WAL), and once the
// reply is delivered no file of the database holds any marker, while the task keeps its record.

const server = useMockServer();
let hub: World | undefined;
let dir: string | undefined;
afterEach(() => {
  hub?.close();
  if (dir) removeTempDir(dir);
  hub = undefined;
  dir = undefined;
});

const unique = (what: string) => `${what}-${crypto.randomUUID()}`;

/** Every file the database keeps (the main file, its WAL and shared-memory index), as bytes. */
function databaseBytes(path: string): Buffer {
  return Buffer.concat(
    [path, `${path}-wal`, `${path}-shm`].filter((f) => existsSync(f)).map((f) => readFileSync(f)),
  );
}

async function runMention(zeroDataRetention: boolean) {
  dir = mkdtempSync(join(tmpdir(), "hub-zdr-"));
  const path = join(dir, "hub.sqlite");
  const markers = {
    prompt: unique("prompt"),
    thread: unique("thread"),
    answer: unique("answer"),
    step: unique("step"),
  };
  let fakes: SlackFake;
  ({ world: hub, fakes } = slackWorld(server, {
    dbPath: path,
    agent: async (_task, context) => {
      context.onProgress({ type: "thought", text: `reading ${markers.step}` });
      return `Fixed it: ${markers.answer}`;
    },
  }));
  await seedAcme(hub);
  await setToggles(hub.deps, WS, { slackFullAnswers: true, zeroDataRetention });
  const thread = "1700000900.000100";
  fakes.threads.set(thread, [
    { type: "message", user: "U0NIA", ts: thread, text: `Login fails for ${markers.thread}` },
    {
      type: "message",
      user: "U0MAX",
      ts: "1700000903.000100",
      text: `<@${BOT}> ${markers.prompt} in acme/web`,
    },
  ]);
  await mention(hub, {
    text: `<@${BOT}> ${markers.prompt} in acme/web`,
    threadTs: thread,
    ts: "1700000903.000100",
  });
  await hub.settle();
  const [task] = hub.tasks();
  return { hub, fakes, path, markers, task: task! };
}

const found = (bytes: Buffer, markers: Record<string, string>) =>
  Object.entries(markers)
    .filter(([, marker]) => bytes.includes(marker))
    .map(([name]) => name);

describe("zero data retention", () => {
  it("off: the text stays, and reading the files finds it (the check below can see what it looks for)", async () => {
    const { path, markers, task } = await runMention(false);
    expect(task).toMatchObject({ status: "completed", contentErasedAt: null });
    expect(task.prompt).toContain(markers.prompt);
    expect(found(databaseBytes(path), markers).sort()).toEqual(["answer", "prompt", "step", "thread"]);
  });

  it("on: the reply is delivered in full, then prompt, thread, answer, payload and sent bodies are gone from every database file", async () => {
    const { hub, fakes, path, markers, task } = await runMention(true);

    // The person got the full answer in Slack: zero data retention keeps nothing, it withholds nothing.
    const posted = fakes.calls
      .filter((c) => c.method === "chat.postMessage")
      .map((c) => `${c.args.text}${blocksText(c.args.blocks)}`);
    expect(posted.some((text) => text.includes(markers.answer))).toBe(true);

    // The task keeps what it was: who, where, when, the outcome.
    expect(task).toMatchObject({
      status: "completed",
      requesterMemberId: "mem_max",
      environmentId: "env_web",
      prompt: "",
      context: "{}",
      answer: null,
      title: "Task (text not retained)",
      contentErasure: "zero_data_retention",
    });
    expect(task.finishedAt).not.toBeNull();
    expect(hub.rows(taskEvents).map((e) => [e.type, e.text])).toEqual([["thought", ""]]);
    const sent = hub.outbox().filter((o) => o.taskId === task.id);
    expect(sent.length).toBeGreaterThan(1);
    for (const row of sent) expect(row).toMatchObject({ status: "sent", args: "{}" });
    const [delivery] = hub.rows(inbox).filter((row) => row.id === task.inboxId);
    expect(delivery).toMatchObject({ status: "done", payload: null, normalized: null });
    // Its decision stays.
    expect(hub.audit("decision.task.run").map((a) => a.code)).toEqual(["ALLOWED"]);

    expect(found(databaseBytes(path), markers)).toEqual([]);

    // The compliance log has the task, its decision and its outcome, never its text.
    const logs = complianceClient(hub, await keyWith(hub, ["compliance.read"]), WS);
    const [file] = (await logs.ok("/logs")).data;
    const log = await logs.download(file.id);
    expect(found(Buffer.from(log.text), markers)).toEqual([]);
    const events = lines(log.text);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        "decision.task.run",
        "task.requested",
        "task.started",
        "task.finished",
        "task.content_erased",
      ]),
    );
    for (const event of events.filter((e) => e.type.startsWith("task."))) {
      expect(event.data).toMatchObject({ text_retained: false, prompt: null, answer: null, context: null });
    }
    const [listed] = (await logs.ok("/codex_tasks")).data;
    expect(listed).toMatchObject({
      id: task.id,
      text_retained: false,
      content_erasure: { reason: "zero_data_retention" },
      prompt: null,
    });

    // The task page says so.
    const cookie = await sessionCookieFor(hub.deps, { provider: "slack", subject: "olga@acme.test" });
    const page = await (await hub.request(`/tasks/${task.id}`, { headers: { cookie } })).text();
    expect(page).toContain("The text of this task was not retained");
    expect(page).toContain("zero data retention");
  });

  it("waits for the reply: nothing is erased while a call for the task is still to be sent", async () => {
    const { hub, task } = await runMention(true);
    // A second task whose reply has not gone out yet (the outbox is not run).
    await setToggles(hub.deps, WS, { zeroDataRetention: true });
    await mention(hub, { text: `<@${BOT}> another one in acme/web`, ts: "1700000950.000100" });
    await hub.process();
    await hub.taskRunner.drain();
    const waiting = hub.tasks().find((t) => t.id !== task.id)!;
    expect(waiting).toMatchObject({ status: "completed", contentErasedAt: null });
    expect(waiting.prompt).toContain("another one");
    expect(hub.outbox().some((o) => o.taskId === waiting.id && o.status === "pending")).toBe(true);
    await hub.settle();
    const [row] = await hub.database.db.select().from(outbox).where(eq(outbox.taskId, waiting.id));
    expect(row!.args).toBe("{}");
    expect(hub.task(waiting.id)).toMatchObject({ prompt: "", contentErasure: "zero_data_retention" });
  });
});
