import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { CONTENT_ERASURE_REASONS, TASK_MODES, TASK_STATUSES } from "../../tasks/types";

export const executorNames = ["command", "codex", "http"] as const;

/**
 * One row per task (see src/tasks/types.ts for the contract). Besides the Task fields it carries the queue
 * state: when the task may next be claimed, who holds its lease and until when, and what the executor
 * recorded so a restarted hub can resume it instead of running it again.
 */
export const tasks = sqliteTable(
  "tasks",
  {
    id: text("id").primaryKey(),
    /** Makes creation idempotent: a redelivered event finds its task instead of making a second one. */
    dedupeKey: text("dedupe_key").notNull(),
    workspaceId: text("workspace_id").notNull(),
    requesterMemberId: text("requester_member_id").notNull(),
    /** TaskOrigin as JSON. */
    origin: text("origin").notNull(),
    environmentId: text("environment_id"),
    kind: text("kind", { enum: ["task", "review"] }).notNull(),
    /** Ask (read-only, never pushed) or Code; rows from before modes existed were all Code. */
    mode: text("mode", { enum: TASK_MODES }).notNull().default("code"),
    title: text("title").notNull(),
    prompt: text("prompt").notNull(),
    /** Gathered context as JSON. */
    context: text("context").notNull().default("{}"),
    status: text("status", { enum: TASK_STATUSES }).notNull().default("queued"),
    answer: text("answer"),
    error: text("error"),
    prUrl: text("pr_url"),
    /** TaskUsage as JSON. */
    usage: text("usage"),
    /** Files the agent changed (JSON array), shown when no pull request could be opened. */
    changedFiles: text("changed_files"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    /** Earliest time the task may be claimed; pushed forward by the backoff after an infrastructure failure. */
    availableAt: integer("available_at").notNull(),
    /** Runner instance holding the task, or `callback` while a remote (http) runner works on it. */
    leaseOwner: text("lease_owner"),
    leaseUntil: integer("lease_until"),
    /** When a running task is stopped for taking too long. */
    deadlineAt: integer("deadline_at"),
    /** Which executor ran it: recovery after a crash depends on whether that executor can resume. */
    executor: text("executor", { enum: executorNames }),
    /** What the executor recorded while running (JSON: thread id, an answer not yet settled...). */
    executorState: text("executor_state"),
    /** `admin` or the member id of whoever cancelled the task. */
    cancelledBy: text("cancelled_by"),
    /** Set once notifyTaskFinished returned for the terminal status; a sweep retries it otherwise. */
    notifiedAt: integer("notified_at"),
    /**
     * The UTC day (days since the epoch) whose daily limits this task counts against, set by the batch that
     * starts it and counts it in task_day_counts; a task started again the same day is not counted twice.
     */
    startedDay: integer("started_day"),
    /** Why the task waits (JSON WaitReason), as the requester was told; null until told. */
    waitReason: text("wait_reason"),
    /** The inbox delivery that started the task: zero data retention erases its payload with the task's text. */
    inboxId: text("inbox_id"),
    /**
     * Set by every state change to a fresh id, so a compliance event batched with the change is written only
     * when this change (not a concurrent one) won: its INSERT ... SELECT matches the id.
     */
    transitionId: text("transition_id"),
    /** When the prompt, context, answer and progress text were erased, and why. */
    contentErasedAt: integer("content_erased_at"),
    contentErasure: text("content_erasure", { enum: CONTENT_ERASURE_REASONS }),
  },
  (t) => [
    // createTask: INSERT ... ON CONFLICT (dedupe_key) DO NOTHING, then SELECT ... WHERE dedupe_key = ?.
    uniqueIndex("tasks_dedupe_key").on(t.dedupeKey),
    // Each claim of claimNextTasks: WHERE status = 'queued' AND available_at <= ? ORDER BY created_at, rowid
    // LIMIT 1. In the order of the ORDER BY, so a claim walks the queue from its head and stops at the first task
    // every limit lets start, instead of checking the limits of every queued task and sorting them (a backlog of
    // thousands made each claim cost thousands of limit checks).
    index("tasks_claim").on(t.status, t.createdAt, t.availableAt),
    // Recovery: WHERE status = 'running' AND lease_until <= ?.
    index("tasks_lease").on(t.status, t.leaseUntil),
    // Concurrency limits: count(*) WHERE status = 'running' AND workspace_id = ? (and per environment).
    index("tasks_workspace_status").on(t.workspaceId, t.status),
    index("tasks_environment_status").on(t.environmentId, t.status),
    // Per-member limits: count(*) WHERE requester_member_id = ? AND status = 'running' (or 'queued', for a
    // waiting task's place in line).
    index("tasks_requester_status").on(t.requesterMemberId, t.status),
    // Notification sweep: WHERE notified_at IS NULL AND status IN (terminal) AND finished_at <= ?.
    index("tasks_unnotified").on(t.notifiedAt, t.finishedAt),
    // Listings per workspace, newest first (task lists, compliance exports).
    index("tasks_workspace_created").on(t.workspaceId, t.createdAt),
    // Erasure sweeps per workspace: WHERE workspace_id = ? AND content_erased_at IS NULL AND finished_at < ?
    // (retention, zero data retention) and WHERE workspace_id = ? AND content_erased_at >= ? (their inbox rows).
    index("tasks_workspace_erasure").on(t.workspaceId, t.contentErasedAt, t.finishedAt),
  ],
);

export type TaskRow = typeof tasks.$inferSelect;

/** Ordered progress of a task (what the agent is doing), shown on the task page. */
export const taskEvents = sqliteTable(
  "task_events",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    taskId: text("task_id").notNull(),
    at: integer("at").notNull(),
    type: text("type").notNull(),
    text: text("text").notNull(),
  },
  // listTaskEvents: WHERE task_id = ? ORDER BY seq.
  (t) => [index("task_events_task_seq").on(t.taskId, t.seq)],
);

/**
 * Per-workspace overrides of the task queue defaults; a workspace without a row uses the defaults. The daily
 * limits have no default: null is no limit. Environments, groups and members may have their own limits too
 * (task_scope_limits in task-limits.ts).
 */
export const taskSettings = sqliteTable("task_settings", {
  workspaceId: text("workspace_id").primaryKey(),
  maxRunning: integer("max_running"),
  maxRunningPerEnvironment: integer("max_running_per_environment"),
  timeoutSeconds: integer("timeout_seconds"),
  /** Tasks (kind `task`) that may start per UTC day in the workspace. */
  tasksPerDay: integer("tasks_per_day"),
  /** Code reviews that may start per UTC day in the workspace. */
  reviewsPerDay: integer("reviews_per_day"),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Delivery ids of accepted executor callbacks, kept for longer than the timestamp window so a captured
 * callback cannot be replayed while its timestamp is still fresh.
 */
export const taskCallbackNonces = sqliteTable(
  "task_callback_nonces",
  {
    nonce: text("nonce").primaryKey(),
    receivedAt: integer("received_at").notNull(),
  },
  // Sweep: DELETE WHERE received_at < ?.
  (t) => [index("task_callback_nonces_received_at").on(t.receivedAt)],
);
