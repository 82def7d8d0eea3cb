import type { Context } from "hono";
import { canSeeEnvironment } from "../access/environments";
import { levelOf } from "../access/levels";
import type { IndexedSnapshot, MemberEntry } from "../access/snapshot-index";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { getTask } from "../tasks/service";
import type { Task } from "../tasks/types";
import { auditActor } from "../workspace/principals";
import { getSnapshot } from "../workspace/snapshot";
import { currentSession, keyOpensConsole, type WebSession } from "./sign-in-session";

// Who may see a task (its page, its live events) and who may cancel it from there. One rule for the page, the
// event stream and the cancel form, so none of them shows or does more than the others.

export type ViewDecision = { ok: true } | { ok: false; reason: string };

function entryOf(snapshot: IndexedSnapshot, session: WebSession): MemberEntry | null | undefined {
  return session.provider === "github"
    ? snapshot.byGithubLogin.get(session.subject)
    : snapshot.byEmail.get(session.subject);
}

/** Who may read a task: the same visibility rule as running one there (DESIGN.md §4), for active members only. */
export function canViewTask(snapshot: IndexedSnapshot, session: WebSession, task: Task): ViewDecision {
  // A session opened with an admin API key (still valid: sign-in-session checks it on every request) reads
  // what that key reads through the admin API, every task included.
  if (session.provider === "key") return { ok: true };
  const entry = entryOf(snapshot, session);
  if (!entry) return { ok: false, reason: "You are not a member of the workspace this task belongs to." };
  if (entry.member.status !== "active")
    return { ok: false, reason: "Your membership in this workspace is deactivated." };
  if (task.environmentId === null) return { ok: true };
  const env = snapshot.environments.get(task.environmentId);
  if (!env) {
    // The environment was deleted: only the person who asked and the workspace owners still see the task.
    return entry.member.id === task.requesterMemberId || entry.member.isOwner
      ? { ok: true }
      : { ok: false, reason: "The task's environment no longer exists." };
  }
  return canSeeEnvironment(env, entry.member.id)
    ? { ok: true }
    : { ok: false, reason: `You do not have access to the environment ${env.env.name}.` };
}

/** How a cancel from the task page is made and recorded, for someone who may cancel. */
export interface Canceller {
  by: { memberId: string } | { admin: true; memberId?: string };
  actor: string;
}

/**
 * Who may cancel a task they can see: the person who asked, and the workspace's admins (owners and Codex
 * Admins, as `/codex` and the console rank them) or an admin API key's session. Null for anyone else.
 */
export async function cancellerOf(
  deps: Deps,
  snapshot: IndexedSnapshot,
  session: WebSession,
  task: Task,
): Promise<Canceller | null> {
  if (session.provider === "key") {
    if (!(await keyOpensConsole(deps, session.subject))) return null;
    return { by: { admin: true }, actor: auditActor({ keyId: session.subject, scopes: [] }) };
  }
  const entry = entryOf(snapshot, session);
  const level = levelOf(entry);
  if (!entry || !level) return null;
  const memberId = entry.member.id;
  const actor = auditActor({ memberId, level, scopes: [] });
  if (level === "owner" || level === "codex_admin") return { by: { admin: true, memberId }, actor };
  return memberId === task.requesterMemberId ? { by: { memberId }, actor } : null;
}

export type TaskAccess =
  | { kind: "signed-out" }
  | { kind: "missing"; session: WebSession }
  | { kind: "forbidden"; session: WebSession; reason: string }
  | { kind: "ok"; session: WebSession; task: Task; snapshot: IndexedSnapshot };

async function snapshotFor(deps: Deps, workspaceId: string): Promise<IndexedSnapshot | null> {
  try {
    return await getSnapshot(deps, workspaceId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
}

/** The task of `/tasks/:id…` as the signed-in person may see it, or why they may not. */
export async function taskForViewer(c: Context, deps: Deps, id: string): Promise<TaskAccess> {
  const session = await currentSession(c, deps);
  if (!session) return { kind: "signed-out" };
  const task = await getTask(deps, id);
  if (!task) return { kind: "missing", session };
  const snapshot = await snapshotFor(deps, task.workspaceId);
  if (!snapshot) return { kind: "forbidden", session, reason: "The task's workspace no longer exists." };
  const verdict = canViewTask(snapshot, session, task);
  if (!verdict.ok) return { kind: "forbidden", session, reason: verdict.reason };
  return { kind: "ok", session, task, snapshot };
}
