import { LIMIT_FIELD_LABELS, type LimitField, type LimitTarget } from "../../../routing/slash-types";
import { listGroups } from "../../../workspace/groups";
import { resolveMember } from "../../../workspace/identity-resolve";
import { findMemberByEmail } from "../../../workspace/members";
import {
  getTaskLimits,
  type LimitOverride,
  type LimitScope,
  listLimitOverrides,
  type ScopeLimits,
  scopeLimitsPatchSchema,
  setLimitOverride,
  setTaskLimits,
  taskLimitsPatchSchema,
} from "../../../workspace/task-limits";
import { byName, type CommandContext, changed, code, esc, type Handler, reply, unchanged } from "./context";

// Usage limits through Slack: the same domain functions, validation and audit records as
// PUT /api/v1/workspaces/{id}/task-limits and PUT …/task-limits/{scope}/{id}.

const KEYS = {
  "max-running": "maxRunning",
  "tasks-per-day": "tasksPerDay",
  "reviews-per-day": "reviewsPerDay",
} as const satisfies Record<LimitField, keyof ScopeLimits>;

const amount = (n: number | undefined, unit: string) => (n === undefined ? `no ${unit} limit` : `${n}`);

function describe(limits: ScopeLimits): string {
  const parts: string[] = [];
  if (limits.maxRunning !== undefined) parts.push(`${limits.maxRunning} at a time`);
  if (limits.tasksPerDay !== undefined) parts.push(`${limits.tasksPerDay} tasks a day`);
  if (limits.reviewsPerDay !== undefined) parts.push(`${limits.reviewsPerDay} reviews a day`);
  return parts.join(", ");
}

const overrideLine = (o: LimitOverride) => `• ${o.scope} *${esc(o.name)}*: ${describe(o)}`;

export const limitsShow: Handler<"limits.show"> = async (ctx) => {
  const [limits, overrides] = await Promise.all([
    getTaskLimits(ctx.deps, ctx.workspaceId),
    listLimitOverrides(ctx.deps, ctx.workspaceId),
  ]);
  const lines = [
    "*Usage limits* (a request over a limit waits its turn; daily limits start over at 00:00 UTC)",
    `• Workspace: ${limits.maxRunning} at a time (${limits.maxRunningPerEnvironment} per environment), ${amount(limits.tasksPerDay, "task")} tasks a day, ${amount(limits.reviewsPerDay, "review")} reviews a day`,
    ...overrides.map(overrideLine),
  ];
  return reply(lines.join("\n"), `listed the limits (${overrides.length} of environments, groups, people)`);
};

type Resolved = { scope: LimitScope; id: string; label: string } | { error: string };

/** The environment, group or member a target names in the workspace. */
async function resolveTarget(
  ctx: CommandContext,
  target: Exclude<LimitTarget, { type: "workspace" }>,
): Promise<Resolved> {
  if (target.type === "environment") {
    const env = byName(ctx.snapshot.snapshot.environments, target.name);
    return env
      ? { scope: "environment", id: env.id, label: `environment ${esc(env.name)}` }
      : { error: `No environment named ${code(target.name)}.` };
  }
  if (target.type === "group") {
    const groups = await listGroups(ctx.deps, ctx.workspaceId);
    const group =
      (target.slackUsergroupId && groups.find((g) => g.externalId === target.slackUsergroupId)) ||
      byName(groups, target.name);
    return group
      ? { scope: "group", id: group.id, label: `group ${esc(group.name)}` }
      : { error: `No group named ${code(target.name)} in this workspace.` };
  }
  const memberId =
    target.type === "email"
      ? ((await findMemberByEmail(ctx.deps, ctx.workspaceId, target.email))?.id ?? null)
      : (await resolveMember(ctx.deps, ctx.workspaceId, { platform: "slack", userId: target.slackUserId }))
          .memberId;
  const who = target.type === "email" ? esc(target.email) : `<@${target.slackUserId}>`;
  if (!memberId) return { error: `${who} is not a member of this workspace.` };
  return { scope: "member", id: memberId, label: who };
}

const shown = (n: number | null | undefined) => (n === null || n === undefined ? "none" : n);

export const limitsSet: Handler<"limits.set"> = async (ctx, command) => {
  const key = KEYS[command.field];
  const patch = { [key]: command.value };
  const what = LIMIT_FIELD_LABELS[command.field];
  if (command.target.type === "workspace") {
    const parsed = taskLimitsPatchSchema.safeParse(patch);
    if (!parsed.success)
      return reply(`🚫 ${what}: ${parsed.error.issues[0]?.message}`, "refused: out of range");
    const before = await getTaskLimits(ctx.deps, ctx.workspaceId);
    const after = await setTaskLimits(ctx.deps, ctx.workspaceId, parsed.data, ctx.actor);
    if (before[key] === after[key])
      return reply(unchanged(`${what} in the workspace`, shown(after[key])), "no change");
    return reply(
      changed(`${what} in the workspace`, shown(before[key]), shown(after[key])),
      `workspace ${command.field} ${shown(before[key])} → ${shown(after[key])}`,
    );
  }
  const parsed = scopeLimitsPatchSchema.safeParse(patch);
  if (!parsed.success)
    return reply(`🚫 ${what}: ${parsed.error.issues[0]?.message}`, "refused: out of range");
  const resolved = await resolveTarget(ctx, command.target);
  if ("error" in resolved) return reply(resolved.error, "unknown target");
  const overrides = await listLimitOverrides(ctx.deps, ctx.workspaceId);
  const before = overrides.find((o) => o.scope === resolved.scope && o.id === resolved.id)?.[key];
  const after = (
    await setLimitOverride(ctx.deps, ctx.workspaceId, resolved.scope, resolved.id, parsed.data, ctx.actor)
  )?.[key];
  const label = `${what} of ${resolved.label}`;
  if (before === after) return reply(unchanged(label, shown(after)), "no change");
  return reply(
    changed(label, shown(before), shown(after)),
    `${resolved.scope} ${command.field} ${shown(before)} → ${shown(after)}`,
  );
};
