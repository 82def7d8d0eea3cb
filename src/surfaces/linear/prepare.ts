import { and, eq } from "drizzle-orm";
import { decide } from "../../access/decide";
import { canSeeEnvironment } from "../../access/environments";
import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { AccessRequest, RepoPermission } from "../../access/types";
import { OutboundError } from "../../clients/types";
import { workspaceLinks } from "../../db/schema/workspaces";
import type { Deps } from "../../deps";
import { decideAndRecord, type RecordedDecision } from "../../pipeline/access";
import { chooseEnvironment, type EnvironmentOption, parseMention } from "../../routing/mention";
import { parseRepositoryRef } from "../../routing/slash-args";
import { resolveMember } from "../../workspace/identity-resolve";
import { repoPermission } from "../../workspace/repo-permission";
import { getSnapshot } from "../../workspace/snapshot";
import { teamDefaultEnvironment } from "./store";

// Who asks, whether they may, and where the work runs: identity (the Linear user's email → member), the
// task.run decision, then the environment in the documented order: named in the request, a repository label on
// the issue, the team's default, the member's only one, else ask, listing only environments the member may use.
// A name that matches none of them is refused, never replaced.

export interface RunRequest {
  workspaceId: string;
  /** The Linear user asking. */
  linearUserId: string | null;
  /** Where an explicit repository or environment may be named (prompt, issue text). */
  text: string;
  labels: readonly string[];
  teamId: string | null;
  /** Audit target, e.g. `linear:issue:<id>`. */
  target: string;
  /** Picked earlier (an answer to "which environment?", or the environment of the task a follow-up continues). */
  environmentId?: string | null;
}

export interface UsableEnvironment extends EnvironmentOption {
  repository: string;
}

export type Prepared =
  | { kind: "denied"; memberId: string | null; decision: RecordedDecision }
  /** Nothing to run in; `nextStep` when the reason is not of the "No available environments: ask…" kind. */
  | { kind: "none"; memberId: string; message: string; nextStep?: string }
  | { kind: "pick"; memberId: string; options: UsableEnvironment[]; message: string }
  | {
      kind: "ready";
      memberId: string;
      environment: UsableEnvironment;
      repoPermission: RepoPermission | null;
      decisionId: string;
    };

/** Environments visible to the member: the only ones a question may offer. */
export function usableEnvironments(snapshot: IndexedSnapshot, memberId: string): UsableEnvironment[] {
  const out: UsableEnvironment[] = [];
  for (const access of snapshot.environments.values()) {
    if (canSeeEnvironment(access, memberId))
      out.push({ id: access.env.id, name: access.env.name, repository: access.env.repository });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** A label such as `acme/api`, `repo:acme/api` or a GitHub URL names a repository; one equal to an environment's name names it. */
export function fromLabels(
  labels: readonly string[],
  usable: readonly UsableEnvironment[],
): { repository?: string; environmentName?: string } {
  for (const label of labels) {
    const trimmed = label.trim();
    const env = usable.find((e) => e.name.toLowerCase() === trimmed.toLowerCase());
    if (env) return { environmentName: env.name };
    const repository = parseRepositoryRef(trimmed.replace(/^(?:repo|repository)\s*:\s*/i, ""));
    if (repository) return { repository };
  }
  return {};
}

/**
 * What GitHub says the member's linked login may do in `repository`, asked through the workspace's GitHub App
 * installations (the one holding the repository answers). null: unknown, and the access check fails closed.
 * A transient GitHub failure is thrown so the event is processed again.
 */
async function githubPermission(
  deps: Deps,
  workspaceId: string,
  login: string | undefined,
  repository: string,
): Promise<RepoPermission | null> {
  if (!login) return null;
  const installations = await deps.database.db
    .select({ externalId: workspaceLinks.externalId })
    .from(workspaceLinks)
    .where(and(eq(workspaceLinks.workspaceId, workspaceId), eq(workspaceLinks.kind, "github_installation")));
  let answer: RepoPermission | null = null;
  let transient: OutboundError | null = null;
  for (const { externalId } of installations) {
    try {
      const permission = await repoPermission(deps, { installationId: externalId, repository, login });
      if (permission !== "none") return permission;
      answer = "none";
    } catch (error) {
      if (error instanceof OutboundError && error.retryable) transient = error;
      else deps.logger.warn({ error: (error as Error).message }, "GitHub permission unavailable");
    }
  }
  if (answer === null && transient) throw transient;
  return answer;
}

export async function prepareRun(deps: Deps, req: RunRequest): Promise<Prepared> {
  const resolved = req.linearUserId
    ? await resolveMember(deps, req.workspaceId, { platform: "linear", userId: req.linearUserId })
    : { memberId: null };
  const snapshot = await getSnapshot(deps, req.workspaceId);
  const base: AccessRequest = {
    actor: {
      memberId: resolved.memberId,
      platform: "linear",
      ...(req.linearUserId ? { platformUserId: req.linearUserId } : {}),
    },
    surface: "linear",
    action: "task.run",
  };
  const record = (request: AccessRequest) =>
    decideAndRecord(deps, {
      workspaceId: req.workspaceId,
      request,
      actorLabel: resolved.memberId ?? `linear:${req.linearUserId ?? "unknown"}`,
      target: req.target,
    });
  // Everything but the environment first: a refusal for another reason must not be hidden behind a question.
  const early = decide(base, snapshot);
  if (!early.allowed && early.code !== "ENV_NOT_FOUND") {
    return { kind: "denied", memberId: resolved.memberId, decision: await record(base) };
  }
  const entry = resolved.memberId ? snapshot.members.get(resolved.memberId) : undefined;
  if (!entry) return { kind: "denied", memberId: null, decision: await record(base) };
  const memberId = entry.member.id;
  const usable = usableEnvironments(snapshot, memberId);

  let environment: UsableEnvironment | undefined;
  if (req.environmentId) {
    environment = usable.find((e) => e.id === req.environmentId);
    if (!environment && usable.length > 0) {
      return {
        kind: "pick",
        memberId,
        options: usable,
        message: "The environment this would run in is no longer available to you. Which one should I use?",
      };
    }
  }
  if (!environment) {
    const parsed = parseMention(req.text, {
      botUserId: "",
      environmentNames: usable.map((e) => e.name),
      repositories: usable.map((e) => e.repository),
    });
    const labelled = fromLabels(req.labels, usable);
    const explicit =
      parsed.environmentName || parsed.repository
        ? { environmentName: parsed.environmentName, repository: parsed.repository }
        : labelled;
    const choice = chooseEnvironment({
      explicitEnvironmentName: explicit.environmentName,
      explicitRepository: explicit.repository,
      teamDefaultEnvId: await teamDefaultEnvironment(deps, req.workspaceId, req.teamId),
      usable,
    });
    if (choice.kind === "none") return { kind: "none", memberId, message: choice.message };
    if (choice.kind === "unknown-name") {
      // The person named where to work: running anywhere else, or asking, would not be what they asked for.
      const names = choice.usable.slice(0, 10).map((e) => e.name);
      const nextStep = `Environments you can use: ${names.join(", ")}. Mention @codex again with \`env:<name>\` to pick one.`;
      return { kind: "none", memberId, message: choice.message, nextStep };
    }
    if (choice.kind === "pick")
      return { kind: "pick", memberId, options: choice.options, message: choice.message };
    environment = choice.environment;
  }

  const permission = await githubPermission(
    deps,
    req.workspaceId,
    entry.member.identities.githubLogin,
    environment.repository,
  );
  const decision = await record({ ...base, environmentId: environment.id, repoPermission: permission });
  if (!decision.allowed) return { kind: "denied", memberId, decision };
  return {
    kind: "ready",
    memberId,
    environment,
    repoPermission: permission,
    decisionId: decision.decisionId,
  };
}
