import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listSandboxOutbound } from "../../src/clients/sandbox";
import type { OutboundRequest } from "../../src/clients/types";
import { outbox } from "../../src/db/schema/outbox";
import { notifyTaskFinished } from "../../src/notify/finish";
import { subscribe } from "../../src/notify/subscriptions";
import { deliverDue } from "../../src/outbox/worker";
import type { SlackBlock } from "../../src/replies/slack-types";
import { createWorld, type World } from "../helpers/world";
import { setToggles } from "../helpers/world-seed";
import { finishedTask, seedAcme, slackOrigin } from "./acme";

let hub: World;
beforeEach(async () => {
  hub = createWorld();
  await seedAcme(hub);
});
afterEach(() => hub.close());

const TASK_URL = "http://hub.test/tasks/tsk_1";

async function queued() {
  return (await hub.database.db.select().from(outbox)).map((r) => ({
    key: r.dedupeKey,
    platform: r.platform,
    operation: r.operation,
    target: r.target === null ? null : JSON.parse(r.target),
    args: JSON.parse(r.args),
  }));
}

const blockText = (blocks: SlackBlock[]) =>
  blocks.map((b) => ("text" in b && b.text ? b.text.text : "")).join("\n");

describe("notifyTaskFinished: the reply on Slack", () => {
  it("posts the full answer in the thread when the workspace allows it, once however often it is called", async () => {
    await setToggles(hub.deps, "ws_acme", { slackFullAnswers: true });
    const task = finishedTask();
    await notifyTaskFinished(hub.deps, task);
    await notifyTaskFinished(hub.deps, task);

    const rows = await queued();
    expect(rows).toHaveLength(1);
    const [reply] = rows;
    expect(reply).toMatchObject({
      key: "reply:tsk_1",
      platform: "slack",
      operation: "chat.postMessage",
      args: { channel: "C_ORIGIN", thread_ts: "1700000000.000100" },
    });
    expect(blockText(reply!.args.blocks)).toContain("keeps the _next_ parameter");
    expect(reply!.args.text).toContain(TASK_URL);
    expect(reply!.args.text).toContain("https://github.test/acme/web/pull/5");

    // Through the outbox, exactly one message reaches Slack.
    await deliverDue(hub.deps);
    await notifyTaskFinished(hub.deps, task);
    await deliverDue(hub.deps);
    const sent = await listSandboxOutbound(hub.database, 10);
    expect(sent.map((s) => s.operation)).toEqual(["chat.postMessage"]);
  });

  it("posts only a link when full answers are off (the default)", async () => {
    await notifyTaskFinished(hub.deps, finishedTask());
    const [reply] = await queued();
    const text = `${reply!.args.text}\n${blockText(reply!.args.blocks)}`;
    expect(text).not.toContain("redirect()");
    expect(text).toContain(`<${TASK_URL}|task page>`);
  });

  it("posts only a link in a channel shared with another organization, even with full answers on", async () => {
    await setToggles(hub.deps, "ws_acme", { slackFullAnswers: true });
    await notifyTaskFinished(hub.deps, finishedTask({ origin: slackOrigin(true) }));
    const [reply] = await queued();
    expect(`${reply!.args.text}${blockText(reply!.args.blocks)}`).not.toContain("redirect()");
  });

  it("says what failed and what to do next", async () => {
    await notifyTaskFinished(
      hub.deps,
      finishedTask({
        status: "failed",
        answer: null,
        error: "The environment's repository could not be cloned.",
      }),
    );
    const [reply] = await queued();
    expect(blockText(reply!.args.blocks)).toContain(
      "*What failed:* The environment's repository could not be cloned.",
    );
    expect(blockText(reply!.args.blocks)).toContain("*What you can do:*");
  });

  it("splits a long answer over blocks and names what did not fit, with the link to the rest", async () => {
    await setToggles(hub.deps, "ws_acme", { slackFullAnswers: true });
    const paragraph = `${"word ".repeat(120).trim()}.\n\n`;
    const answer = `${paragraph.repeat(600)}THE END`;
    await notifyTaskFinished(hub.deps, finishedTask({ answer }));
    const [reply] = await queued();
    const blocks = reply!.args.blocks as SlackBlock[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) if ("text" in b && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    expect(blockText(blocks)).not.toContain("THE END");
    expect(blockText(blocks)).toMatch(
      /more characters are on the <http:\/\/hub\.test\/tasks\/tsk_1\|task page>/,
    );
    expect((reply!.args.text as string).length).toBeLessThanOrEqual(40_000);
  });
});

describe("notifyTaskFinished: the reply on Linear and GitHub", () => {
  it("ends a Linear agent session with one response activity, or an error activity when the task failed", async () => {
    await setToggles(hub.deps, "ws_acme", { linearFullAnswers: true });
    const origin = {
      surface: "linear" as const,
      organizationId: "org",
      issueId: "iss_1",
      agentSessionId: "ses_1",
      commentId: null,
    };
    await notifyTaskFinished(hub.deps, finishedTask({ origin }));
    await notifyTaskFinished(
      hub.deps,
      finishedTask({
        id: "tsk_2",
        origin,
        status: "failed",
        answer: null,
        error: "No available environments.",
      }),
    );
    await notifyTaskFinished(hub.deps, finishedTask({ origin }));
    const rows = await queued();
    expect(rows.map((r) => [r.key, r.operation, r.args.agentSessionId, r.args.content.type])).toEqual([
      ["reply:tsk_1", "agentActivityCreate", "ses_1", "response"],
      ["reply:tsk_2", "agentActivityCreate", "ses_1", "error"],
    ]);
    expect(rows[0]!.args.content.body).toContain("keeps the *next* parameter");
    expect(rows[1]!.args.content.body).toContain("No available environments.");
  });

  it("answers a Linear comment mention with a threaded comment, linking only when full answers are off", async () => {
    const origin = {
      surface: "linear" as const,
      organizationId: "org",
      issueId: "iss_1",
      agentSessionId: null,
      commentId: "cmt_9",
    };
    await notifyTaskFinished(hub.deps, finishedTask({ origin }));
    const [reply] = await queued();
    expect(reply).toMatchObject({
      operation: "commentCreate",
      args: { issueId: "iss_1", parentId: "cmt_9" },
    });
    expect(reply!.args.body).toContain(`[task page](${TASK_URL})`);
    expect(reply!.args.body).not.toContain("redirect()");
  });

  it("caps a long answer on Linear and GitHub with a note pointing at the rest, never cutting silently", async () => {
    await setToggles(hub.deps, "ws_acme", { linearFullAnswers: true });
    const answer = `${"A paragraph of the answer that goes on.\n\n".repeat(4000)}THE END`;
    const linear = {
      surface: "linear" as const,
      organizationId: "org",
      issueId: "iss_1",
      agentSessionId: "ses_1",
      commentId: null,
    };
    const github = { surface: "github" as const, installationId: 7, repository: "acme/web", prNumber: 5 };
    await notifyTaskFinished(hub.deps, finishedTask({ id: "tsk_lin", origin: linear, answer }));
    await notifyTaskFinished(hub.deps, finishedTask({ id: "tsk_gh", origin: github, answer }));
    const rows = await queued();
    const linearBody = rows.find((r) => r.key === "reply:tsk_lin")!.args.content.body as string;
    const githubBody = rows.find((r) => r.key === "reply:tsk_gh")!.args.body as string;
    expect(linearBody.length).toBeLessThanOrEqual(50_000);
    expect(linearBody).not.toContain("THE END");
    expect(linearBody).toContain("more characters are on the [task page](http://hub.test/tasks/tsk_lin)");
    expect(githubBody.length).toBeLessThanOrEqual(65_536);
    expect(githubBody).not.toContain("THE END");
    expect(githubBody).toContain("truncated: the rest is on the [task page](http://hub.test/tasks/tsk_gh)");
  });

  const prOrigin = { surface: "github" as const, installationId: 7, repository: "acme/web", prNumber: 5 };

  it("comments on the pull request for a GitHub task", async () => {
    await notifyTaskFinished(hub.deps, finishedTask({ origin: prOrigin }));
    const [reply] = await queued();
    expect(reply).toMatchObject({
      platform: "github",
      operation: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
      // Made by installation 7 for acme/web, with the permission a pull request's conversation needs.
      target: { installationId: 7, repository: "acme/web", permissions: { pull_requests: "write" } },
      args: { issue_number: 5 },
    });
    expect(reply!.args.body).toContain("I changed `redirect()`");
  });

  it("publishes a review through its surface once, or as a comment of its P0/P1 findings when no review was recorded", async () => {
    const answer = JSON.stringify({
      summary: "Two problems.",
      findings: [
        { title: "SQL injection", body: "Use a bound parameter.", priority: 0, path: "db.ts", line: 3 },
        { title: "Typo", body: "teh", priority: 3, path: "README.md", line: 1 },
      ],
    });
    const review = finishedTask({ id: "tsk_r", kind: "review", origin: prOrigin, answer });
    await notifyTaskFinished(hub.deps, review);
    const [fallback] = await queued();
    expect(fallback!.args.body).toContain("SQL injection");
    expect(fallback!.args.body).not.toContain("Typo");
    expect(fallback!.args.body).toContain("1 finding below P1 was not posted");

    let calls = 0;
    const published: OutboundRequest = {
      platform: "github",
      operation: "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      args: { installationId: 7, repository: "acme/web", pull_number: 5, event: "COMMENT", body: "review" },
    };
    hub.deps.surfaces.github = {
      ...hub.deps.surfaces.github,
      reply: async () => {
        calls++;
        return [published];
      },
    };
    const other = { ...review, id: "tsk_r2" };
    await notifyTaskFinished(hub.deps, other);
    await notifyTaskFinished(hub.deps, other);
    expect(calls).toBe(1);
    expect((await queued()).find((r) => r.key === "reply:tsk_r2")).toMatchObject({
      operation: published.operation,
    });
  });
});

describe("notifyTaskFinished: notices to subscribed channels", () => {
  it("tells every channel subscribed to the task's environment or to all, once each, in one line", async () => {
    const sub = (channelId: string, environmentId: string | null) =>
      subscribe(hub.deps, { workspaceId: "ws_acme", environmentId, slackTeamId: "T1", channelId });
    await sub("C_WEB", "env_web");
    await sub("C_ALL", null);
    await sub("C_BOTH", null);
    await sub("C_BOTH", "env_web");
    await sub("C_SECRET", "env_secret");

    const task = finishedTask({ origin: { surface: "api" } });
    await notifyTaskFinished(hub.deps, task);
    await notifyTaskFinished(hub.deps, task);

    const rows = await queued();
    expect(rows.map((r) => r.key).sort()).toEqual([
      "notice:tsk_1:C_ALL",
      "notice:tsk_1:C_BOTH",
      "notice:tsk_1:C_WEB",
    ]);
    const text = rows[0]!.args.text as string;
    expect(text).not.toContain("\n");
    expect(text).toContain("Completed");
    expect(text).toContain("Fix the login redirect");
    expect(text).toContain("Max Mustermann");
    expect(text).toContain(TASK_URL);
  });

  it("queues nothing for a task that has not finished", async () => {
    await subscribe(hub.deps, {
      workspaceId: "ws_acme",
      environmentId: null,
      slackTeamId: "T1",
      channelId: "C_ALL",
    });
    await notifyTaskFinished(hub.deps, finishedTask({ status: "running", finishedAt: null }));
    expect(await queued()).toEqual([]);
  });
});
