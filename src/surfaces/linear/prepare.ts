import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { AccessRequest, Decision, RepoPermission } from "../../access/types";
import type { Deps } from "../../deps";
import { type RecordedDecision, recordDecision } from "../../pipeline/access";
import { loadRepoPermission, loadRunContext } from "./context";
import { authorizeRun, planRun, type RunWant } from "./plan-run";
import type { UsableEnvironment } from "./requests";

// Who asks, whether they may, and where the work runs, for every flow that starts a task: the run context,
// the plan, GitHub's word on the one repository it would run in, the decision with it, and the record of that
// decision (allowed or not, with its trace), so "why did this happen?" has an answer.

export interface RunRequest {
  workspaceId: string;
  /** The snapshot the event's plan already read, if any: one per event. */
  snapshot: IndexedSnapshot | null;
  /** The Linear user asking. */
  linearUserId: string | null;
  teamId: string | null;
  want: RunWant;
  /** Audit target, e.g. `linear:issue:<id>`. */
  target: string;
}

export type Prepared =
  | { kind: "refuse"; memberId: string | null; decision: RecordedDecision }
  /** Nothing to run in; `nextStep` when the reason is not of the "No available environments: ask…" kind. */
  | { kind: "none"; memberId: string; message: string; nextStep?: string }
  | { kind: "ask"; memberId: string; options: UsableEnvironment[]; message: string }
  | {
      kind: "start";
      memberId: string;
      environment: UsableEnvironment;
      repoPermission: RepoPermission | null;
      decisionId: string;
    };

export async function prepareRun(deps: Deps, req: RunRequest): Promise<Prepared> {
  const ctx = await loadRunContext(deps, req);
  const record = (request: AccessRequest, decision: Decision) =>
    recordDecision(deps, {
      workspaceId: req.workspaceId,
      request,
      decision,
      actorLabel: ctx.memberId ?? `linear:${ctx.linearUserId ?? "unknown"}`,
      target: req.target,
    });
  const plan = planRun(ctx, req.want);
  switch (plan.kind) {
    case "refuse":
      return { kind: "refuse", memberId: plan.memberId, decision: await record(plan.request, plan.decision) };
    case "none":
    case "ask":
      return plan;
    case "check": {
      const permission = await loadRepoPermission(
        deps,
        req.workspaceId,
        plan.githubLogin,
        plan.environment.repository,
      );
      const authorized = authorizeRun(ctx.snapshot, plan, permission);
      const decision = await record(authorized.request, authorized.decision);
      if (authorized.kind === "refuse") return { kind: "refuse", memberId: authorized.memberId, decision };
      const { memberId, environment, repoPermission } = authorized;
      return { kind: "start", memberId, environment, repoPermission, decisionId: decision.decisionId };
    }
  }
}
