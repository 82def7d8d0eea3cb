import type { RepoPermission } from "../../access/types";
import { chooseEnvironment, type ParsedMention } from "../../routing/mention";
import type { UsableEnvironment } from "./environments";

// Which environment a mention runs in (routing/mention.ts decides the order: named in the message, the
// thread's earlier task, the channel's default, the member's only one, else ask). A name that matches nothing
// the member may use is refused, never replaced. Before asking, or settling on the only choice left,
// environments whose repository GitHub says the member cannot read are dropped: a picker never offers a
// button that can only lead to a refusal. Pure: what GitHub said comes in `permissions`, and a repository not
// asked about yet is returned as a question.

export type MentionChoice =
  | { kind: "chosen"; environment: UsableEnvironment }
  | { kind: "pick"; options: UsableEnvironment[]; message: string }
  /** A refusal: `code` keys what was said, so a retry or another thread reply says it once. */
  | { kind: "none"; code: "NO_ENVIRONMENT" | "UNKNOWN_ENVIRONMENT"; reason: string; nextStep: string };

/** GitHub has to be asked about these repositories (for the member) before the choice can be made. */
export interface NeedPermissions {
  kind: "need-permissions";
  repositories: string[];
}

const NONE = {
  kind: "none",
  code: "NO_ENVIRONMENT",
  reason: "No available environments: none is set up for you in this workspace.",
  nextStep: "Ask a Codex Admin to create an environment for your repository or give you access to one.",
} as const;

/** Repositories of `wanted` that GitHub has not been asked about; none: everything is known. */
export function missingPermissions(
  permissions: ReadonlyMap<string, RepoPermission | null>,
  wanted: readonly string[],
): NeedPermissions | null {
  const repositories = [...new Set(wanted.filter((r) => !permissions.has(r)))];
  return repositories.length > 0 ? { kind: "need-permissions", repositories } : null;
}

/** Those of `options` whose repository GitHub does not refuse the member (unknown stays: the check explains). */
function readableOnly(
  permissions: ReadonlyMap<string, RepoPermission | null>,
  options: UsableEnvironment[],
): UsableEnvironment[] | NeedPermissions {
  const missing = missingPermissions(
    permissions,
    options.map((e) => e.repository),
  );
  return missing ?? options.filter((e) => permissions.get(e.repository) !== "none");
}

/** The names to suggest instead: those that can run, else every one the member can see. */
function unknownName(message: string, names: string[]): MentionChoice {
  const list = names.slice(0, 10).join(", ");
  return {
    kind: "none",
    code: "UNKNOWN_ENVIRONMENT",
    reason: message,
    nextStep: `Environments you can use: ${list}. Mention me again with env:<name> to pick one; \`/codex env list\` shows them all.`,
  };
}

export interface ChoiceInput {
  parsed: ParsedMention;
  channelDefaultEnvId: string | null;
  /** Where the thread's earlier task ran: it comes before the channel's default. */
  threadEnvironmentId: string | null;
  usable: UsableEnvironment[];
  githubLogin: string | undefined;
  /** What GitHub said the member may do, per repository asked about so far (null: it could not say). */
  permissions: ReadonlyMap<string, RepoPermission | null>;
}

export function chooseMentionEnvironment(input: ChoiceInput): MentionChoice | NeedPermissions {
  const choice = chooseEnvironment({
    ...(input.parsed.repository ? { explicitRepository: input.parsed.repository } : {}),
    ...(input.parsed.environmentName ? { explicitEnvironmentName: input.parsed.environmentName } : {}),
    channelDefaultEnvId: input.threadEnvironmentId ?? input.channelDefaultEnvId,
    teamDefaultEnvId: input.threadEnvironmentId ? input.channelDefaultEnvId : null,
    usable: input.usable,
  });
  if (choice.kind === "none") return NONE;
  if (choice.kind === "chosen") return { kind: "chosen", environment: choice.environment };
  if (choice.kind === "unknown-name") {
    const runnable = input.githubLogin ? readableOnly(input.permissions, choice.usable) : choice.usable;
    if (!Array.isArray(runnable)) return runnable;
    const names = (runnable.length > 0 ? runnable : choice.usable).map((e) => e.name);
    return unknownName(choice.message, names);
  }
  // Without a linked login GitHub cannot be asked; the access check then says how to connect it.
  if (!input.githubLogin) return choice;
  const readable = readableOnly(input.permissions, choice.options);
  if (!Array.isArray(readable)) return readable;
  const [only] = readable;
  if (!only) {
    return {
      kind: "none",
      code: "NO_ENVIRONMENT",
      reason: "GitHub gives you access to none of the repositories of the environments you can use.",
      nextStep:
        "Ask a repository admin for access, or a Codex Admin for an environment of a repository you can read.",
    };
  }
  if (readable.length === 1) return { kind: "chosen", environment: only };
  return { ...choice, options: readable };
}
