import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { environments } from "../../src/db/schema/access";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { useMockServer } from "../helpers/mock-server";
import type { Json } from "../ingress/deliveries";
import { type LinearWorld, linearWorld, seedAcme, WS } from "./acme";

// `env:<name>` in a Linear request names where the work runs: a name the person cannot use (none such, or a
// private environment of someone else) is refused in the same words, and nothing runs anywhere else.

const server = useMockServer();
let hub: LinearWorld;
afterEach(() => hub?.close());

/** Ada can use only `web` (api removed; `secret` is Olga's), so nothing is left to ask about. */
async function world() {
  hub = linearWorld(server);
  await seedAcme(hub);
  await hub.database.db.delete(environments).where(eq(environments.id, "env_api"));
  await invalidateSnapshot(hub.deps, WS);
}

const sessionAsking = (words: string) => (payload: Json) => {
  payload.promptContext = String(payload.promptContext).replace("please fix this and open a PR", words);
};

describe("a Linear request naming an environment the person cannot use", () => {
  it.each(["nope", "secret"])(
    "in an agent session, env:%s: one error activity naming it and the environments to use, no task",
    async (name) => {
      await world();
      await hub.deliver("agent-session-created", sessionAsking(`env:${name} please fix this`));
      await hub.settle();
      expect(await hub.tasks()).toHaveLength(0);
      expect(hub.runs).toHaveLength(0);
      const activities = hub.activities();
      expect(activities.map((a) => a.content.type)).toEqual(["thought", "error"]);
      const body = activities[1]!.content.body as string;
      expect(body).toContain(`No environment named “${name}” is available to you.`);
      expect(body).toMatch(/\*\*Next step:\*\* Environments you can use: web\. Mention @codex again/);
      expect(body).not.toMatch(/private|collaborator/i);
    },
  );

  it("in a comment (API key): one reply with the refusal, no task", async () => {
    await world();
    await hub.deliver("comment-create", (payload) => {
      payload.data.body = "@codex env:secret can you also add a regression test?";
    });
    await hub.settle();
    expect(await hub.tasks()).toHaveLength(0);
    const comments = hub.comments();
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("No environment named “secret” is available to you.");
    expect(comments[0]!.body).toContain("Environments you can use: web.");
  });
});
