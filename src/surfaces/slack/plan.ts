import { decide } from "../../access/decide";
import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { AccessRequest, Decision, RepoPermission } from "../../access/types";
import type { SlackTarget } from "../../clients/types";
import { parseMention } from "../../routing/mention";
import type { TaskMode } from "../../tasks/types";
import { chooseMentionEnvironment, missingPermissions, type NeedPermissions } from "./choose";
import type { UsableEnvironment } from "./environments";

// What a mention (or the button press that continues it) comes to, decided from what the context loaded
// and nothing else: a refusal, a question (which environment? may Codex open a pull request?) or a task.
// Pure; effects.ts records the decisions and says or starts what the plan says. Every refusal goes to the
// person alone. https://api.slack.com/events/app_mention

/** A mention as the hub keeps it while it waits for a button press. */
export interface MentionRequest {
  teamId: string;
  enterpriseId: string | null;
  channel: string;
  userId: string;
  text: string;
  ts: string;
  threadTs: string | null;
  isExtShared: boolean;
  botUserId: string | null;
}

/** Waiting for a button press: the mention, and for a confirmation the environment already chosen. */
export interface MentionPending {
  type: "mention";
  workspaceId: string;
  request: MentionRequest;
  environmentId?: string;
}

/** What the person answered so far with buttons. */
export interface MentionAnswers {
  environmentId?: string;
  confirmed?: boolean;
  declinedWrite?: boolean;
}

/** One task per Slack message, whichever event (or button press) brought it. */
export const messageKey = (r: Pick<MentionRequest, "teamId" | "channel" | "ts">) =>
  `slack:${r.teamId}:${r.channel}:${r.ts}`;

export const targetOf = (r: { teamId: string; enterpriseId: string | null }): SlackTarget => ({
  teamId: r.teamId,
  ...(r.enterpriseId ? { enterpriseId: r.enterpriseId } : {}),
});

/** Everything the plan reads, loaded once per event (context.ts). */
export interface MentionFacts {
  pending: MentionPending;
  answers: MentionAnswers;
  snapshot: IndexedSnapshot;
  memberId: string | null;
  githubLogin: string | undefined;
  /** Environments the member may use, by name. */
  usable: UsableEnvironment[];
  channelDefaultEnvId: string | null;
  threadEnvironmentId: string | null;
  /** What GitHub said the member may do, per repository asked about so far (null: it could not say). */
  permissions: ReadonlyMap<string, RepoPermission | null>;
}

/** An access decision with the request it answers, to be recorded as it is. */
export interface Decided {
  request: AccessRequest;
  decision: Decision;
}

export interface PlannedEnvironment {
  id: string;
  name: string;
  repository: string;
}

export type MentionPlan =
  /** Refused by the access check: said with its next step; environments still usable are named. */
  | { kind: "refuse"; access: Decided; usableNames: string[] }
  /** No environment to run in (none usable, or the one named is not among them). */
  | {
      kind: "no-environment";
      access: Decided;
      code: "NO_ENVIRONMENT" | "UNKNOWN_ENVIRONMENT";
      reason: string;
      nextStep: string;
    }
  /** A mention that asks nothing, outside a thread. */
  | { kind: "ask-request" }
  /** Ask which environment (buttons). */
  | { kind: "pick"; options: UsableEnvironment[]; message: string }
  /** An app wants the pull-request write confirmed first. */
  | { kind: "confirm"; environment: PlannedEnvironment; access: Decided; write: Decided; appName: string }
  | {
      kind: "start";
      memberId: string;
      environment: PlannedEnvironment;
      access: Decided;
      write: Decided;
      prompt: string;
      /** `ask:` / `code:` at the start of the request, else the environment's default. */
      mode: TaskMode;
      repoPermission: RepoPermission | null;
      /** Whether the task may open a pull request, and why not when it may not. */
      writeAllowed: { allowed: boolean; reason?: string };
      /** Whether full answers are on (then Slack is asked whether the channel is shared). */
      fullAnswers: boolean;
    };

/** The request text without the bot's own mention; a leading mention is dropped when the bot is unknown. */
function readMention(request: MentionRequest, usable: UsableEnvironment[]) {
  const text = request.botUserId
    ? request.text
    : request.text.replace(/^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>/, "");
  return parseMention(text, {
    botUserId: request.botUserId ?? "",
    environmentNames: usable.map((e) => e.name),
    repositories: usable.map((e) => e.repository),
  });
}

/** The plan, or the repositories GitHub must be asked about first (then plan again with its answers). */
export function planMention(facts: MentionFacts): MentionPlan | NeedPermissions {
  const { pending, snapshot, memberId, usable } = facts;
  const { request } = pending;
  const base: AccessRequest = {
    actor: { memberId, platform: "slack", platformUserId: request.userId },
    surface: "slack",
    action: "task.run",
  };
  // What no environment can fix (unknown person, Codex cloud off, no role...) is said before anyone picks one.
  const early = decide(base, snapshot);
  if (!early.allowed && early.code !== "ENV_NOT_FOUND") {
    return { kind: "refuse", access: { request: base, decision: early }, usableNames: names(usable) };
  }
  const parsed = readMention(request, usable);
  if (!parsed.prompt && !request.threadTs) return { kind: "ask-request" };

  let environmentId = facts.answers.environmentId;
  if (!environmentId) {
    const choice = chooseMentionEnvironment({ ...facts, parsed });
    if (choice.kind === "need-permissions") return choice;
    if (choice.kind === "none") {
      const { code, reason, nextStep } = choice;
      return { kind: "no-environment", access: { request: base, decision: early }, code, reason, nextStep };
    }
    if (choice.kind === "pick") return choice;
    environmentId = choice.environment.id;
  }
  return planRun(facts, base, environmentId, parsed.prompt, parsed.mode);
}

/** Once the environment is known: the member's access to it, then the pull-request write. */
function planRun(
  facts: MentionFacts,
  base: AccessRequest,
  environmentId: string,
  prompt: string,
  askedMode: TaskMode | undefined,
): MentionPlan | NeedPermissions {
  const { snapshot, memberId, githubLogin, answers } = facts;
  const env = snapshot.environments.get(environmentId)?.env;
  if (env && githubLogin) {
    const missing = missingPermissions(facts.permissions, [env.repository]);
    if (missing) return missing;
  }
  const permission = env && githubLogin ? (facts.permissions.get(env.repository) ?? null) : null;
  const accessRequest: AccessRequest = {
    ...base,
    environmentId,
    repoPermission: permission,
    githubLinked: Boolean(githubLogin),
  };
  const access = { request: accessRequest, decision: decide(accessRequest, snapshot) };
  if (!access.decision.allowed || !memberId || !env) {
    // The environment just refused is not suggested again.
    const others = facts.usable.filter((e) => e.id !== environmentId);
    return { kind: "refuse", access, usableNames: names(others) };
  }
  // The task may open a pull request: a write, which apps may forbid or ask the person to confirm first.
  const writeRequest: AccessRequest = {
    ...accessRequest,
    action: "pr.open",
    confirmed: answers.confirmed === true,
  };
  const write = { request: writeRequest, decision: decide(writeRequest, snapshot) };
  const environment = { id: env.id, name: env.name, repository: env.repository };
  const mode = askedMode ?? env.defaultMode ?? "code";
  // An Ask task never writes, so there is no pull request to confirm.
  if (write.decision.code === "CONFIRMATION_REQUIRED" && !answers.declinedWrite && mode === "code") {
    const apps = (["slack", "github"] as const)
      .map((kind) => snapshot.appByKind.get(kind)?.app)
      .filter((app) => app?.confirmWrites)
      .map((app) => app?.name);
    return { kind: "confirm", environment, access, write, appName: apps.join(" and ") || "An app" };
  }
  return {
    kind: "start",
    memberId,
    environment,
    access,
    write,
    prompt,
    mode,
    repoPermission: permission,
    writeAllowed: answers.declinedWrite
      ? { allowed: false, reason: "you chose not to let Codex open a pull request" }
      : { allowed: write.decision.allowed, reason: write.decision.message },
    fullAnswers: snapshot.snapshot.toggles.slackFullAnswers,
  };
}

const names = (environments: UsableEnvironment[]) => environments.map((e) => e.name);
