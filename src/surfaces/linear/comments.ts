import type { InboxRow } from "../../db/schema/inbox";
import type { Deps } from "../../deps";
import type { StepResult } from "../../inbox/processor";
import type { LinearEvent } from "../../ingress/events";
import { createTask } from "../../tasks/service";
import type { TaskOrigin } from "../../tasks/types";
import { findWorkspaceByLink } from "../../workspace/workspaces";
import { type IssueDetails, readIssue, requestTitle } from "./issues";
import { commentCall, queue } from "./outbound";
import { isOwnObject } from "./own-objects";
import { prepareRun } from "./prepare";
import { hubUserId, usesAgentSessions } from "./store";
import { denialBody, noEnvironmentBody, pickCommentBody } from "./wording";

// `@codex` in a plain comment, for organizations reached with LINEAR_API_KEY (no agent sessions): the work
// starts like a session's and every answer is a reply in the comment's thread. An app installation gets an
// agent session for each mention instead, so there the comment itself is left alone.

type CommentEvent = Extract<LinearEvent, { kind: "comment" }>;

const MENTION = /(^|[^\w@])@codex\b/i;

export const mentionsCodex = (body: string): boolean => MENTION.test(body);

/** The request without the mention. */
export const withoutMention = (body: string): string =>
  body
    .replace(/(^|[^\w@])@codex\b[,:]?/gi, "$1")
    .replace(/[ \t]+/g, " ")
    .trim();

/** Everything a refusal, question or task needs to answer in the same thread. */
export interface CommentReply {
  organizationId: string;
  issueId: string;
  /** Linear threads are one level deep: a reply to a reply goes under the thread's first comment. */
  threadId: string | null;
}

export async function onComment(deps: Deps, event: CommentEvent, row: InboxRow): Promise<StepResult> {
  if (event.action !== "create") return { outcome: `ignored: comment ${event.action}` };
  if (await isOwnObject(deps, event.commentId)) return { outcome: "ignored: a comment Codex wrote itself" };
  if (event.botActorId) return { outcome: "ignored: written by an app" };
  if (!mentionsCodex(event.body)) return { outcome: "ignored: Codex is not mentioned" };
  if (!event.issueId) return { outcome: "ignored: the comment is not on an issue" };
  const org = event.organizationId;
  const workspace = await findWorkspaceByLink(deps, "linear_org", org);
  if (!workspace) return { outcome: `ignored: Linear organization ${org} is not linked to a workspace` };
  if (await usesAgentSessions(deps, org)) {
    return { outcome: "ignored: the agent session Linear opens for this mention carries the work" };
  }
  if (event.userId && event.userId === (await hubUserId(deps, org, workspace.id))) {
    return { outcome: "ignored: a comment Codex wrote itself" };
  }
  const issue = await readIssue(deps, org, event.issueId);
  const prompt = withoutMention(event.body) || "Work on this issue.";
  return startFromComment(deps, {
    row,
    workspaceId: workspace.id,
    linearUserId: event.userId,
    reply: { organizationId: org, issueId: event.issueId, threadId: event.parentId ?? event.commentId },
    issue,
    prompt,
    text: prompt,
    target: `linear:comment:${event.commentId}`,
  });
}

/** Shared with delegations made through an API key: refusals, questions and answers are comments. */
export async function startFromComment(
  deps: Deps,
  input: {
    row: InboxRow;
    workspaceId: string;
    linearUserId: string | null;
    reply: CommentReply;
    issue: IssueDetails | null;
    prompt: string;
    text: string;
    target: string;
  },
): Promise<StepResult> {
  const { row, reply, issue } = input;
  const say = async (body: string) =>
    queue(
      deps,
      await commentCall(reply.organizationId, reply.issueId, reply.threadId, body, `reply:${row.id}`),
    );
  const prepared = await prepareRun(deps, {
    workspaceId: input.workspaceId,
    linearUserId: input.linearUserId,
    text: [input.text, issue?.title, issue?.description].filter(Boolean).join("\n\n"),
    labels: issue?.labels ?? [],
    teamId: issue?.teamId ?? null,
    target: input.target,
  });
  switch (prepared.kind) {
    case "denied":
      await say(denialBody(prepared.decision));
      return { outcome: `denied: ${prepared.decision.code} (${prepared.decision.decisionId})` };
    case "none":
      await say(noEnvironmentBody(prepared.message, prepared.nextStep));
      return { outcome: "denied: no available environments" };
    case "pick":
      await say(pickCommentBody(prepared.options, prepared.message));
      return { outcome: `asked which environment (${prepared.options.length} offered)` };
    case "ready": {
      const origin: TaskOrigin = {
        surface: "linear",
        organizationId: reply.organizationId,
        issueId: reply.issueId,
        agentSessionId: null,
        commentId: reply.threadId,
      };
      const { task, created } = await createTask(deps, {
        workspaceId: input.workspaceId,
        requesterMemberId: prepared.memberId,
        origin,
        environmentId: prepared.environment.id,
        kind: "task",
        title: requestTitle(issue, null, input.prompt),
        prompt: input.prompt,
        context: {
          linearIssue: issue
            ? `${issue.identifier} ${issue.title}\n\n${issue.description ?? ""}`.trim()
            : null,
          linearIssueUrl: issue?.url ?? null,
          repoPermission: prepared.repoPermission,
        },
        dedupeKey: `inbox:${row.id}`,
      });
      return {
        outcome: `task ${task.id} ${created ? "queued" : "already queued"} in ${prepared.environment.name}`,
      };
    }
  }
}
