import type { TaskKind } from "./types";

// Why a queued task waits, in terms people can act on: which limit holds it, its place in that line, and for
// a daily limit when the day starts over. Pure: the loader (standing-load.ts) gathers the numbers, the
// surfaces say it where the task was asked (SurfaceAdapter.queued), the task page shows it.

/** The workspace, or one of its environments, groups or members, whose limit a task waits on. */
export type WaitScope =
  | { type: "workspace" }
  | { type: "environment"; id: string; name: string }
  | { type: "group"; id: string; name: string }
  | { type: "member"; id: string };

/** Where a waiting task stands. */
export type Standing =
  | {
      /** The scope runs as many tasks at once as it may: the task waits its turn. */
      code: "running";
      scope: WaitScope;
      /** Tasks the scope runs at once. */
      limit: number;
      /** 1: the next to start in that scope. */
      position: number;
    }
  | {
      /** The scope's daily limit of the task's kind is used (or taken by requests ahead of it). */
      code: "daily";
      scope: WaitScope;
      kind: TaskKind;
      limit: number;
      /** Started today in the scope, of the task's kind. */
      used: number;
      /** The next 00:00 UTC. */
      resetsAt: number;
    };

/** One scope's limits and usage, as seen from one waiting task. */
export interface ScopeUsage {
  scope: WaitScope;
  /** Tasks the scope may run at once; null: no limit of its own. */
  maxRunning: number | null;
  running: number;
  /** Queued tasks of the scope ahead of this one. */
  ahead: number;
  /** The scope's daily limit of the task's kind; null: none. */
  perDay: number | null;
  /** Started today in the scope, of the task's kind. */
  startedToday: number;
  /** Queued tasks of the task's kind ahead of this one in the scope. */
  aheadOfKind: number;
}

/**
 * The limit a task waits on, or null when none holds it (it starts at the runner's next turn). A daily limit
 * is told first: nothing else matters before the day ends. Otherwise the scopes that run all they may hold
 * it; the longest line among them is the truest estimate of the wait, and on a tie the narrower scope (later
 * in `scopes`: workspace, environment, groups, member) is told, as the more specific reason.
 */
export function explainWait(
  kind: TaskKind,
  scopes: readonly ScopeUsage[],
  resetsAt: number,
): Standing | null {
  for (const s of scopes) {
    if (s.perDay !== null && s.startedToday + s.aheadOfKind >= s.perDay) {
      return { code: "daily", scope: s.scope, kind, limit: s.perDay, used: s.startedToday, resetsAt };
    }
  }
  let best: Standing | null = null;
  for (const s of scopes) {
    if (s.maxRunning === null || s.running < s.maxRunning) continue;
    const position = s.ahead + 1;
    if (!best || (best.code === "running" && position >= best.position)) {
      best = { code: "running", scope: s.scope, limit: s.maxRunning, position };
    }
  }
  return best;
}

/**
 * Names a standing's reason, not its position: a notice is posted once per task and reason, so a task that
 * moves up the same line is not told again, while one that now waits for another limit is.
 */
export function standingKey(standing: Standing): string {
  const { scope } = standing;
  return `${standing.code}:${scope.type}${"id" in scope ? `:${scope.id}` : ""}`;
}
