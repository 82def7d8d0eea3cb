/**
 * The task contract every surface shares: whatever a request came from (a Slack mention, a PR comment, a
 * Linear agent session, the API), it becomes one Task that runs once and answers once on its origin.
 */

export const TASK_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskKind = "task" | "review";

/**
 * Ask mode answers without changing anything: the agent runs read-only and the hub never pushes a branch or
 * opens a pull request for it. Code mode may change the checkout and propose the changes. A request says
 * `ask:` or `code:` at its start; otherwise the environment's default applies (code unless set).
 */
export const TASK_MODES = ["ask", "code"] as const;
export type TaskMode = (typeof TASK_MODES)[number];

/** Where the request came from, with what is needed to answer there. */
export type TaskOrigin =
  | {
      surface: "slack";
      teamId: string;
      channel: string;
      /** The thread to answer in (`thread_ts ?? ts` of the mention). */
      threadTs: string;
      /** The mention's own ts, for the 👀 reaction. */
      messageTs: string;
      externallyShared: boolean;
    }
  | {
      surface: "github";
      installationId: number;
      repository: string;
      prNumber: number;
      headSha?: string;
      baseSha?: string;
      /** The comment that asked (for the 👀 reaction and the reply); absent for automatic reviews. */
      commentId?: number;
      commentSource?: "issue_comment" | "review_comment";
      /** PR from a fork: never pushed to. */
      fromFork?: boolean;
      /** Review trigger, e.g. `opened` or `mention`. */
      trigger?: string;
    }
  | {
      surface: "linear";
      organizationId: string;
      issueId: string | null;
      agentSessionId: string | null;
      /** Set for tasks started by a comment mention outside agent sessions: the reply is a comment. */
      commentId: string | null;
    }
  | { surface: "api" };

export interface TaskProgressEvent {
  at: number;
  /** e.g. `thought`, `command`, `file_change`, `message`, `status`. */
  type: string;
  text: string;
}

/** A step of a running task, for the surface that shows work as it happens (Linear agent sessions). */
export interface ProgressNotice {
  taskId: string;
  origin: TaskOrigin;
  event: TaskProgressEvent;
}

export interface TaskUsage {
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
}

export interface Task {
  id: string;
  workspaceId: string;
  requesterMemberId: string;
  origin: TaskOrigin;
  environmentId: string | null;
  kind: TaskKind;
  /** Ask (read-only, never pushed) or Code. Reviews only read: they are Ask tasks. */
  mode: TaskMode;
  title: string;
  prompt: string;
  /** Gathered context: thread messages, PR diff and files, review rules... (surface-specific JSON). */
  context: Record<string, unknown>;
  status: TaskStatus;
  answer: string | null;
  /** Why it failed, in words the requester can act on. */
  error: string | null;
  prUrl: string | null;
  usage: TaskUsage | null;
  /** Files the agent changed, when it reported them (shown when no pull request was opened). */
  changedFiles?: string[] | null;
  attempts: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Set once the prompt, context, answer and progress text were erased (src/governance/erasure.ts). */
  contentErased?: ContentErasure | null;
}

export const CONTENT_ERASURE_REASONS = ["zero_data_retention", "deleted", "retention"] as const;
export type ContentErasureReason = (typeof CONTENT_ERASURE_REASONS)[number];

export interface ContentErasure {
  at: number;
  /** Zero data retention (after the reply was delivered), a Compliance API deletion, or the retention period. */
  reason: ContentErasureReason;
}

/** What a surface hands in to start a task. `dedupeKey` makes creation idempotent (e.g. `inbox:<row id>`). */
export interface NewTask {
  workspaceId: string;
  requesterMemberId: string;
  origin: TaskOrigin;
  environmentId: string | null;
  kind: TaskKind;
  /** The mode the request asked for (`ask:` / `code:`); absent: the environment's default (reviews: ask). */
  mode?: TaskMode;
  title: string;
  prompt: string;
  context?: Record<string, unknown>;
  dedupeKey: string;
}
