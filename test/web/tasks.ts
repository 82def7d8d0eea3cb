import { eq } from "drizzle-orm";
import { taskEvents, tasks } from "../../src/db/schema/tasks";
import { newTaskWrites } from "../../src/tasks/service";
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
  const writes = newTaskWrites(hub.deps, {
    workspaceId: input.workspaceId,
    requesterMemberId: input.requesterMemberId,
    origin: { surface: "api" },
    environmentId: input.environmentId,
    kind: "task",
    title: input.title ?? "Rotate the signing keys",
    prompt: "Rotate the signing keys and update the docs",
    dedupeKey: `test:${crypto.randomUUID()}`,
  });
  const [row] = (await hub.database.batch(writes)).at(-1) as { id: string }[];
  const id = row!.id;
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
