import { inArray } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { environments } from "../../src/db/schema/access";
import { inbox } from "../../src/db/schema/inbox";
import { linearObjectId } from "../../src/surfaces/linear/own-objects";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { useMockServer } from "../helpers/mock-server";
import { installAsApp, type LinearWorld, linearWorld, seedAcme, WS } from "./acme";
import { APP_USER, ISSUE } from "./linear-fake";

const server = useMockServer();
let hub: LinearWorld;
afterEach(() => hub?.close());

const outcomes = async () => (await hub.database.db.select().from(inbox)).map((r) => r.outcome);

/** Only `web` is left, so requests need no question. */
async function onlyWeb() {
  await hub.database.db.delete(environments).where(inArray(environments.id, ["env_api", "env_secret"]));
  await invalidateSnapshot(hub.deps, WS);
}

describe("an issue delegated to Codex", () => {
  it("moves the issue to the team's first started state, runs the task and answers with a comment (API key)", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await onlyWeb();
    await hub.deliver("issue-delegated");
    await hub.settle();

    const move = hub.fake.calls.find((c) => c.op === "updateIssue")!;
    // "In Progress" has the lowest position among the started states.
    expect(move.variables).toEqual({ id: ISSUE, input: { stateId: "st_progress" } });
    const [task] = await hub.tasks();
    expect(task).toMatchObject({
      status: "completed",
      environmentId: "env_web",
      requesterMemberId: "mem_ada",
    });
    expect(task!.prompt).toContain("ENG-123: Fix flaky login test");
    const [reply] = hub.comments();
    expect(reply).toMatchObject({ issueId: ISSUE });
    expect(reply!.parentId).toBeUndefined();
    expect(reply!.body).toContain(`http://hub.test/tasks/${task!.id}`);
    expect(reply!.id).toBe(await linearObjectId(`reply:${task!.id}`));
  });

  it("leaves an issue that is already started where it is", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await onlyWeb();
    hub.fake.issue.state = { id: "st_review", name: "In Review", type: "started" };
    await hub.deliver("issue-delegated");
    await hub.settle();
    expect(hub.fake.calls.map((c) => c.op)).not.toContain("updateIssue");
    expect(await hub.tasks()).toHaveLength(1);
  });

  it("with an app installation, only moves the issue: the agent session Linear opens carries the work", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await installAsApp(hub);
    await hub.deliver("issue-delegated");
    await hub.settle();
    expect(hub.fake.calls.find((c) => c.op === "updateIssue")?.variables).toEqual({
      id: ISSUE,
      input: { stateId: "st_progress" },
    });
    expect(await hub.tasks()).toHaveLength(0);
    expect(await outcomes()).toEqual([expect.stringContaining("agent session carries the work")]);
  });

  it("ignores a delegation to someone else", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await hub.deliver("issue-delegated", (p) => {
      p.data.delegateId = "another-agent";
      p.data.assigneeId = "someone";
    });
    await hub.settle();
    expect(hub.fake.calls.map((c) => c.op)).toEqual(["codexViewer"]);
    expect(await hub.tasks()).toHaveLength(0);
  });
});

describe("@codex in a comment", () => {
  it("starts a task and answers in the comment's thread", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await onlyWeb();
    await hub.deliver("comment-create");
    await hub.settle();
    const [task] = await hub.tasks();
    expect(task).toMatchObject({
      status: "completed",
      requesterMemberId: "mem_grace",
      prompt: "can you also add a regression test?",
    });
    expect(JSON.parse(task!.origin)).toMatchObject({
      surface: "linear",
      agentSessionId: null,
      commentId: "c0ffee00-1111-4222-8333-444455556666",
    });
    const [reply] = hub.comments();
    expect(reply).toMatchObject({ issueId: ISSUE, parentId: "c0ffee00-1111-4222-8333-444455556666" });
  });

  it("asks in the thread which environment, and runs where a second mention says", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await hub.deliver("comment-create");
    await hub.settle();
    expect(await hub.tasks()).toHaveLength(0);
    const [question] = hub.comments();
    expect(question!.body).toContain("**api**");
    expect(question!.body).not.toContain("secret");
    expect(question!.body).toContain("`env:api`");

    await hub.deliver("comment-create", (p) => {
      p.data.id = "second-comment";
      p.data.body = "@codex env:api add a regression test";
    });
    await hub.settle();
    const [task] = await hub.tasks();
    expect(task).toMatchObject({ environmentId: "env_api", status: "completed" });
  });

  it("ignores comments Codex wrote, comments by apps and comments that do not mention it", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await onlyWeb();
    await hub.deliver("comment-create");
    await hub.settle();
    const [reply] = hub.comments();
    const calls = hub.fake.calls.length;

    // Linear tells the hub about its own reply (which quotes the request, mention included).
    await hub.deliver("comment-create", (p) => {
      p.data.id = reply!.id;
      p.data.body = "✅ Done: @codex can you also add a regression test?";
    });
    // Same, when the comment is recognised by its author: the key's own user.
    await hub.deliver("comment-create", (p) => {
      p.data.id = "by-codex-user";
      p.data.userId = APP_USER;
    });
    await hub.deliver("comment-create", (p) => {
      p.data.id = "by-bot";
      p.data.botActor = { id: "bot-1", name: "Other app" };
    });
    await hub.deliver("comment-create", (p) => {
      p.data.id = "no-mention";
      p.data.body = "Looks good to me.";
    });
    await hub.settle();
    expect(await hub.tasks()).toHaveLength(1);
    expect(hub.comments()).toHaveLength(1);
    expect(hub.fake.calls.length).toBe(calls);
    expect((await outcomes()).slice(1)).toEqual([
      "ignored: a comment Codex wrote itself",
      "ignored: a comment Codex wrote itself",
      "ignored: written by an app",
      "ignored: Codex is not mentioned",
    ]);
  });

  it("leaves mentions to agent sessions when Codex is installed as an app", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await installAsApp(hub);
    await hub.deliver("comment-create");
    await hub.settle();
    expect(await hub.tasks()).toHaveLength(0);
    expect(hub.fake.calls).toEqual([]);
  });
});
