import { eq } from "drizzle-orm";
import { taskEvents, tasks } from "../../src/db/schema/tasks";
import { createTask } from "../../src/tasks/service";
import { transitionTask } from "../../src/tasks/transitions";
import type { NewTask } from "../../src/tasks/types";
import type { World } from "../helpers/world";

/** Stores a finished task with an answer and a few progress events, as the runner would leave it. */
export async function storeTask(
  hub: World,
  input: {
    workspaceId: string;
    environmentId: string | null;
    requesterMemberId: string;
    answer: string;
    title?: string;
  },
): Promise<string> {
  const { task } = await createTask(hub.deps, {
    workspaceId: input.workspaceId,
    requesterMemberId: input.requesterMemberId,
    origin: { surface: "api" },
    environmentId: input.environmentId,
    kind: "task",
    title: input.title ?? "Rotate the signing keys",
    prompt: "Rotate the signing keys and update the docs",
    dedupeKey: `test:${crypto.randomUUID()}`,
  });
  const id = task.id;
  const now = hub.clock.now();
  await hub.database.db.insert(taskEvents).values([
    { taskId: id, at: now, type: "thought", text: "Reading the key rotation script" },
    { taskId: id, at: now + 1, type: "command", text: "npm test" },
  ]);
  await hub.database.db
    .update(tasks)
    .set({
      status: "completed",
      answer: input.answer,
      prUrl: "https://github.test/acme/web/pull/77",
      startedAt: now,
      finishedAt: now + 5000,
    })
    .where(eq(tasks.id, id));
  return id;
}

/** A task that the runner has started (queued, then running on a runner named `test`), as a surface asked it. */
export async function runningTask(
  hub: World,
  input: Partial<
    Pick<NewTask, "origin" | "requesterMemberId" | "environmentId" | "context" | "title" | "prompt">
  > = {},
): Promise<string> {
  const { task } = await createTask(hub.deps, {
    workspaceId: "ws_acme",
    requesterMemberId: input.requesterMemberId ?? "mem_max",
    origin: input.origin ?? { surface: "api" },
    environmentId: input.environmentId === undefined ? "env_web" : input.environmentId,
    kind: "task",
    title: input.title ?? "Fix the flaky login test",
    prompt: input.prompt ?? "Fix the flaky login test in test/login.spec.ts",
    context: input.context ?? {},
    dedupeKey: `test:${crypto.randomUUID()}`,
  });
  await transitionTask(hub.deps, task.id, "running", {
    startedAt: hub.clock.now(),
    leaseOwner: "test",
    leaseUntil: hub.clock.now() + 60_000,
    executor: "command",
  });
  return task.id;
}
