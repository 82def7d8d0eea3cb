import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { linearTeamEnvironments } from "../../src/db/schema/linear";
import { createCodexExecutor, type PullRequestRequest } from "../../src/runtime/executors/codex";
import { fakeCodexWorld, git } from "../helpers/git-fixtures";
import { useMockServer } from "../helpers/mock-server";
import type { Json } from "../ingress/deliveries";
import { type LinearWorld, linearWorld, seedAcme, WS } from "./acme";
import { SESSION, TEAM } from "./linear-fake";

// Ask mode from a Linear agent session, run by the Codex executor (the SDK driving a fake Codex CLI in a
// checkout of a local git remote): the thread runs in the read-only sandbox, and even when the agent changed
// files the hub pushes nothing and opens no pull request; the answer says why and how to ask in Code mode.

const server = useMockServer();
const root = mkdtempSync(join(tmpdir(), "hub-ask-mode-"));
let remote = "";
let codexBin = "";
let hub: LinearWorld;
beforeAll(() => {
  ({ codexBin, remote } = fakeCodexWorld(root, "web"));
  mkdirSync(join(root, "work"));
});
afterEach(() => hub?.close());
afterAll(() => rmSync(root, { recursive: true, force: true }));

function codexWorld(log: string) {
  const pulls: PullRequestRequest[] = [];
  const tokens: unknown[] = [];
  const executor = createCodexExecutor({
    codexPath: codexBin,
    env: { PATH: process.env.PATH ?? "", HOME: root, FAKE_CODEX_SCENARIO: "changes", FAKE_CODEX_LOG: log },
    workRoot: join(root, "work"),
    repositoryUrl: () => remote,
    getRepoToken: async (_repository, permissions) => {
      tokens.push(permissions);
      return null;
    },
    openPullRequest: async (request) => {
      pulls.push(request);
      return { url: "https://github.com/acme/web/pull/8" };
    },
  });
  hub = linearWorld(server, undefined, { executor });
  return { pulls, tokens };
}

/** Ada's session, asked in the comment that mentions Codex. */
const asking = (words: string) => (payload: Json) => {
  const original = "@codex please fix this and open a PR";
  const event = payload as { promptContext: string; agentSession: { comment: { body: string } } };
  event.promptContext = event.promptContext.replace(original, words);
  event.agentSession.comment.body = words;
};

const invocations = (log: string) =>
  existsSync(log)
    ? readFileSync(log, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { args: string[] })
    : [];

describe("ask: in a Linear agent session", () => {
  it("runs Codex read-only and pushes nothing, though the agent changed files", async () => {
    const log = join(root, "ask.jsonl");
    const { pulls, tokens } = codexWorld(log);
    await seedAcme(hub);
    await hub.database.db
      .insert(linearTeamEnvironments)
      .values({ workspaceId: WS, teamId: TEAM, environmentId: "env_web", updatedAt: hub.clock.now() });
    expect(
      (await hub.deliver("agent-session-created", asking("@codex ask: why does the login test flake?")))
        .status,
    ).toBe(200);
    await hub.settle();

    const [task] = hub.tasks();
    expect(task).toMatchObject({
      status: "completed",
      mode: "ask",
      prompt: "why does the login test flake?",
    });
    const [call] = invocations(log);
    expect(call!.args.join(" ")).toContain("--sandbox read-only");

    // The denial: no write token, no branch, no pull request; the answer says so and how to ask for code.
    expect(tokens).toEqual([{ contents: "read" }]);
    expect(pulls).toEqual([]);
    expect(git(["branch", "--list", "codex/*"], remote).trim()).toBe("");
    expect(git(["show", "main:README.md"], remote)).toBe("# Web\n");
    expect(task!.prUrl).toBeNull();
    expect(JSON.parse(task!.changedFiles!).sort()).toEqual(["NOTES.md", "README.md"]);
    expect(task!.answer).toContain("Updated the README and added notes.");
    expect(task!.answer).toContain("not pushed and no pull request was opened: this was an Ask task");
    expect(task!.answer).toContain("starting with `code:`");

    const thoughts = hub
      .activities()
      .filter((a) => a.agentSessionId === SESSION && a.content.type === "thought");
    expect(thoughts.map((a) => a.content.body)).toContainEqual(expect.stringContaining("in Ask mode"));
  });

  it("runs a request without a prefix in the workspace-write sandbox, and opens the pull request", async () => {
    const log = join(root, "code.jsonl");
    const { pulls } = codexWorld(log);
    await seedAcme(hub);
    await hub.database.db
      .insert(linearTeamEnvironments)
      .values({ workspaceId: WS, teamId: TEAM, environmentId: "env_web", updatedAt: hub.clock.now() });
    expect((await hub.deliver("agent-session-created")).status).toBe(200);
    await hub.settle();
    const [task] = hub.tasks();
    expect(task).toMatchObject({
      status: "completed",
      mode: "code",
      prUrl: "https://github.com/acme/web/pull/8",
    });
    expect(invocations(log)[0]!.args.join(" ")).toContain("--sandbox workspace-write");
    expect(pulls).toEqual([expect.objectContaining({ head: `codex/${task!.id}` })]);
  });
});
