import type { InboxRow } from "../../db/schema/inbox";
import type { Deps } from "../../deps";
import type { StepResult } from "../../inbox/types";
import type { TaskMode } from "../../tasks/types";
import { loadCommentContext } from "./context";
import { runInThread } from "./effects";
import type { IssueDetails } from "./issues";
import type { LinearDelivery } from "./listeners";
import { type CommentReply, planComment } from "./plan";
import { prepareRun } from "./prepare";

// `@codex` in a plain comment, for organizations reached with LINEAR_API_KEY (no agent sessions): the work
// starts like a session's and every answer is a reply in the comment's thread. An app installation gets an
// agent session for each mention instead, so there the comment itself is left alone.

export async function onComment(deps: Deps, { event, row }: LinearDelivery<"Comment">): Promise<StepResult> {
  const ctx = await loadCommentContext(deps, event);
  const plan = planComment(event, ctx);
  if (plan.kind === "ignore") return { outcome: plan.outcome };
  const { workspaceId, reply, prompt, target } = plan;
  return startInThread(deps, row, {
    workspaceId,
    reply,
    prompt,
    ...(plan.mode ? { mode: plan.mode } : {}),
    target,
    linearUserId: event.userId,
    issue: ctx.issue,
  });
}

/** Shared with delegations made through an API key: refusals, questions and answers are comments. */
export async function startInThread(
  deps: Deps,
  row: InboxRow,
  input: {
    workspaceId: string;
    linearUserId: string | null;
    reply: CommentReply;
    issue: IssueDetails | null;
    prompt: string;
    mode?: TaskMode;
    target: string;
  },
): Promise<StepResult> {
  const { issue } = input;
  const prepared = await prepareRun(deps, {
    workspaceId: input.workspaceId,
    snapshot: null,
    linearUserId: input.linearUserId,
    teamId: issue?.teamId ?? null,
    want: {
      text: [input.prompt, issue?.title, issue?.description].filter(Boolean).join("\n\n"),
      labels: issue?.labels ?? [],
    },
    target: input.target,
  });
  return runInThread(deps, row, input, prepared);
}
