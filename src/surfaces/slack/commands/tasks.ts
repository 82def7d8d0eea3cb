import { and, desc, eq, inArray, like, or } from "drizzle-orm";
import type { AccessRequest, Decision } from "../../../access/types";
import { auditLog } from "../../../db/schema/audit";
import { inbox } from "../../../db/schema/inbox";
import { tasks } from "../../../db/schema/tasks";
import { type AuditRecord, getAudit, recordAudit } from "../../../governance/audit";
import type { SlackEvent } from "../../../ingress/events";
import { IllegalTransition } from "../../../tasks/lifecycle";
import { cancelTask, getTask, TaskNotFound } from "../../../tasks/service";
import { messageKey } from "../plan";
import { type CommandContext, changed, code, esc, type Handler, reply } from "./context";

// `/codex explain <id>`: the recorded decision behind a task, an event or an audit record, with its trace.
// `/codex cancel <task-id>`. Members may explain and cancel only their own; Codex Admins and owners anyone's.

const isAdmin = (ctx: CommandContext) => ctx.level === "owner" || ctx.level === "codex_admin";

async function latestDecision(ctx: CommandContext, targets: string[]): Promise<AuditRecord | null> {
  const [row] = await ctx.deps.database.db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.workspaceId, ctx.workspaceId),
        inArray(auditLog.target, targets),
        like(auditLog.action, "decision.%"),
      ),
    )
    .orderBy(desc(auditLog.createdAt))
    .limit(1);
  return row ? getAudit(ctx.deps, row.id) : null;
}

type Found = { record: AuditRecord | null; owned: boolean; what: string } | { missing: string };

async function fromTask(ctx: CommandContext, id: string): Promise<Found> {
  const task = await getTask(ctx.deps, id);
  if (!task || task.workspaceId !== ctx.workspaceId)
    return { missing: `No task ${code(id)} in this workspace.` };
  const [row] = await ctx.deps.database.db
    .select({ key: tasks.dedupeKey })
    .from(tasks)
    .where(eq(tasks.id, id));
  const record = await latestDecision(ctx, [task.id, ...(row ? [row.key] : [])]);
  return { record, owned: task.requesterMemberId === ctx.memberId, what: `task ${code(id)}` };
}

async function fromEvent(ctx: CommandContext, id: string): Promise<Found> {
  const [row] = await ctx.deps.database.db
    .select({ normalized: inbox.normalized })
    .from(inbox)
    .where(or(eq(inbox.id, id), and(eq(inbox.platform, "slack"), eq(inbox.deliveryKey, id))))
    .limit(1);
  const event = row?.normalized ? (JSON.parse(row.normalized) as SlackEvent) : null;
  if (event?.platform !== "slack" || event.kind !== "mention") {
    return { missing: `No Slack mention ${code(id)} is known (ids are task ids, event ids or audit ids).` };
  }
  const record = await latestDecision(ctx, [
    messageKey({ teamId: event.teamId, channel: event.channel, ts: event.ts }),
  ]);
  if (record && record.workspaceId !== ctx.workspaceId)
    return { missing: `No Slack mention ${code(id)} is known.` };
  return { record, owned: event.userId === ctx.slack.userId, what: `event ${code(id)}` };
}

async function fromAudit(ctx: CommandContext, id: string): Promise<Found> {
  const record = await getAudit(ctx.deps, id);
  if (!record?.decision || record.workspaceId !== ctx.workspaceId)
    return { missing: `No decision ${code(id)}.` };
  const actor = (record.request as AccessRequest | null)?.actor;
  const owned =
    record.actor === `slack:${ctx.slack.userId}` ||
    (ctx.memberId !== null && actor?.memberId === ctx.memberId);
  return { record, owned, what: `decision ${code(id)}` };
}

const MARK = { pass: "✓", fail: "✗", skip: "–" } as const;

export function renderDecision(record: AuditRecord): string {
  const decision = record.decision as Decision;
  const action = (record.request as AccessRequest | null)?.action ?? record.action.replace(/^decision\./, "");
  const head = decision.allowed
    ? `✅ *Allowed*: ${code(action)}`
    : `🚫 *Denied* (${code(decision.code)}): ${code(action)}`;
  const when = new Date(record.createdAt).toISOString();
  const trace = decision.trace.map((t) => `${MARK[t.outcome]} *${esc(t.check)}*: ${esc(t.found)}`);
  return [`${head}, decision ${code(record.id)} at ${when}`, `_${esc(decision.message)}_`, ...trace].join(
    "\n",
  );
}

export const explain: Handler<"explain"> = async (ctx, command) => {
  const id = command.id;
  const found = id.startsWith("tsk_")
    ? await fromTask(ctx, id)
    : id.startsWith("aud_")
      ? await fromAudit(ctx, id)
      : await fromEvent(ctx, id);
  if ("missing" in found) return reply(found.missing, "nothing to explain");
  // Someone else's request is not told to a member: not even whether it was allowed.
  if (!found.owned && !isAdmin(ctx)) {
    return reply(
      "You can only explain your own requests; a Codex Admin can explain anyone's.",
      "refused: not theirs",
    );
  }
  if (!found.record)
    return reply(`No access decision is recorded for ${found.what}.`, "no decision recorded");
  return reply(renderDecision(found.record), `explained ${found.record.id}`);
};

export const cancel: Handler<"cancel"> = async (ctx, command) => {
  const task = await getTask(ctx.deps, command.taskId);
  if (!task || task.workspaceId !== ctx.workspaceId) {
    return reply(`No task ${code(command.taskId)} in this workspace.`, "unknown task");
  }
  const own = task.requesterMemberId === ctx.memberId;
  if (!own && !isAdmin(ctx)) {
    return reply(
      "You can only cancel your own tasks; a Codex Admin can cancel anyone's.",
      "refused: not theirs",
    );
  }
  try {
    const cancelled = await cancelTask(
      ctx.deps,
      task.id,
      own && ctx.memberId
        ? { memberId: ctx.memberId }
        : { admin: true, ...(ctx.memberId ? { memberId: ctx.memberId } : {}) },
    );
    await recordAudit(ctx.deps, {
      workspaceId: ctx.workspaceId,
      actor: ctx.actor,
      action: "task.cancel",
      target: task.id,
      before: { status: task.status },
      after: { status: cancelled.status },
    });
    return reply(changed(`Task ${task.id}`, task.status, cancelled.status), `cancelled ${task.id}`);
  } catch (error) {
    if (error instanceof IllegalTransition) {
      return reply(
        `Task ${code(task.id)} already ended (${error.from}); nothing to cancel.`,
        "already ended",
      );
    }
    if (error instanceof TaskNotFound) return reply(`No task ${code(command.taskId)}.`, "unknown task");
    throw error;
  }
};
