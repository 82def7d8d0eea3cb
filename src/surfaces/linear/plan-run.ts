import { decide } from "../../access/decide";
import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { AccessRequest, Decision, RepoPermission } from "../../access/types";
import { chooseEnvironment, parseMention } from "../../routing/mention";
import { fromLabels, type UsableEnvironment, usableEnvironments } from "./requests";
import { ENVIRONMENT_GONE, unknownEnvironmentNextStep } from "./wording";

// Who asks, whether they may, and where the work runs, for every flow that starts a task (plan.ts): pure,
// from the workspace snapshot and what context.ts loaded; GitHub's answer on the repository comes in between
// the two steps (prepare.ts).

export interface RunContext {
  snapshot: IndexedSnapshot;
  /** The Linear user asking. */
  linearUserId: string | null;
  /** The member they are (their email's, in Linear's answer), if any. */
  memberId: string | null;
  /** The environment set for the team. */
  teamDefaultEnvId: string | null;
}

export interface RunWant {
  /** Where an explicit repository or environment may be named (prompt, issue text). */
  text: string;
  labels: readonly string[];
  /** Picked earlier: an answer to "which environment?", or the environment of the task a follow-up continues. */
  environmentId?: string | null;
}

export type RunPlan =
  | { kind: "refuse"; memberId: string | null; request: AccessRequest; decision: Decision }
  /** Nothing to run in; `nextStep` when the reason is not of the "No available environments: ask…" kind. */
  | { kind: "none"; memberId: string; message: string; nextStep?: string }
  | { kind: "ask"; memberId: string; options: UsableEnvironment[]; message: string }
  /** Where it would run; GitHub is asked next what the member may do in the repository. */
  | {
      kind: "check";
      memberId: string;
      environment: UsableEnvironment;
      githubLogin: string | null;
      request: AccessRequest;
    };

/**
 * The task.run decision without the environment, then the environment in the documented order: named in the
 * request, a repository label on the issue, the team's default, the member's only one, else ask, listing only
 * environments the member may use. A name that matches none of them is refused, never replaced.
 */
export function planRun(ctx: RunContext, want: RunWant): RunPlan {
  const request: AccessRequest = {
    actor: {
      memberId: ctx.memberId,
      platform: "linear",
      ...(ctx.linearUserId ? { platformUserId: ctx.linearUserId } : {}),
    },
    surface: "linear",
    action: "task.run",
  };
  // Everything but the environment first: a refusal for another reason must not be hidden behind a question.
  const early = decide(request, ctx.snapshot);
  if (!early.allowed && early.code !== "ENV_NOT_FOUND") {
    return { kind: "refuse", memberId: ctx.memberId, request, decision: early };
  }
  const entry = ctx.memberId ? ctx.snapshot.members.get(ctx.memberId) : undefined;
  if (!entry) return { kind: "refuse", memberId: null, request, decision: early };
  const memberId = entry.member.id;
  const usable = usableEnvironments(ctx.snapshot, memberId);
  const check = (environment: UsableEnvironment): RunPlan => ({
    kind: "check",
    memberId,
    environment,
    githubLogin: entry.member.identities.githubLogin ?? null,
    request,
  });

  if (want.environmentId) {
    const picked = usable.find((e) => e.id === want.environmentId);
    if (picked) return check(picked);
    if (usable.length > 0) return { kind: "ask", memberId, options: usable, message: ENVIRONMENT_GONE };
  }
  const parsed = parseMention(want.text, {
    botUserId: "",
    environmentNames: usable.map((e) => e.name),
    repositories: usable.map((e) => e.repository),
  });
  const explicit =
    parsed.environmentName || parsed.repository
      ? { environmentName: parsed.environmentName, repository: parsed.repository }
      : fromLabels(want.labels, usable);
  const choice = chooseEnvironment({
    explicitEnvironmentName: explicit.environmentName,
    explicitRepository: explicit.repository,
    teamDefaultEnvId: ctx.teamDefaultEnvId,
    usable,
  });
  switch (choice.kind) {
    case "none":
      return { kind: "none", memberId, message: choice.message };
    case "unknown-name":
      // The person named where to work: running anywhere else, or asking, would not be what they asked for.
      return {
        kind: "none",
        memberId,
        message: choice.message,
        nextStep: unknownEnvironmentNextStep(choice.usable),
      };
    case "pick":
      return { kind: "ask", memberId, options: choice.options, message: choice.message };
    case "chosen":
      return check(choice.environment);
  }
}

export type RunAuthorization =
  | { kind: "refuse"; memberId: string; request: AccessRequest; decision: Decision }
  | {
      kind: "start";
      memberId: string;
      environment: UsableEnvironment;
      repoPermission: RepoPermission | null;
      request: AccessRequest;
      decision: Decision;
    };

/** The decision with the environment and what GitHub says (null: unknown, and the check fails closed). */
export function authorizeRun(
  snapshot: IndexedSnapshot,
  check: Extract<RunPlan, { kind: "check" }>,
  repoPermission: RepoPermission | null,
): RunAuthorization {
  const request = { ...check.request, environmentId: check.environment.id, repoPermission };
  const decision = decide(request, snapshot);
  const { memberId, environment } = check;
  return decision.allowed
    ? { kind: "start", memberId, environment, repoPermission, request, decision }
    : { kind: "refuse", memberId, request, decision };
}
