import type { Deps } from "../../deps";
import { chooseEnvironment, type ParsedMention } from "../../routing/mention";
import { memberRepoPermission, type UsableEnvironment } from "./environments";

// Which environment a mention runs in (routing/mention.ts decides the order: named in the message, the
// thread's earlier task, the channel's default, the member's only one, else ask). A name that matches nothing
// the member may use is refused, never replaced. Before asking, or settling on the only choice left,
// environments whose repository GitHub says the member cannot read are dropped: a picker never offers a
// button that can only lead to a refusal.

export type MentionChoice =
  | { kind: "chosen"; environment: UsableEnvironment }
  | { kind: "pick"; options: UsableEnvironment[]; message: string }
  /** A refusal: `code` keys what was said, so a retry or another thread reply says it once. */
  | { kind: "none"; code: "NO_ENVIRONMENT" | "UNKNOWN_ENVIRONMENT"; reason: string; nextStep: string };

const NONE = {
  kind: "none",
  code: "NO_ENVIRONMENT",
  reason: "No available environments: none is set up for you in this workspace.",
  nextStep: "Ask a Codex Admin to create an environment for your repository or give you access to one.",
} as const;

/** Those of `options` whose repository GitHub does not refuse the member (unknown stays: the check explains). */
async function readableOnly(
  deps: Deps,
  workspaceId: string,
  githubLogin: string,
  options: UsableEnvironment[],
): Promise<UsableEnvironment[]> {
  const readable: UsableEnvironment[] = [];
  for (const env of options) {
    const permission = await memberRepoPermission(deps, {
      workspaceId,
      githubLogin,
      repository: env.repository,
    });
    if (permission !== "none") readable.push(env);
  }
  return readable;
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

export async function chooseMentionEnvironment(
  deps: Deps,
  input: {
    workspaceId: string;
    parsed: ParsedMention;
    channelDefaultEnvId: string | null;
    /** Where the thread's earlier task ran: it comes before the channel's default. */
    threadEnvironmentId?: string | null;
    usable: UsableEnvironment[];
    githubLogin: string | undefined;
  },
): Promise<MentionChoice> {
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
    const runnable = input.githubLogin
      ? await readableOnly(deps, input.workspaceId, input.githubLogin, choice.usable)
      : choice.usable;
    const names = (runnable.length > 0 ? runnable : choice.usable).map((e) => e.name);
    return unknownName(choice.message, names);
  }
  // Without a linked login GitHub cannot be asked; the access check then says how to connect it.
  if (!input.githubLogin) return choice;
  const readable = await readableOnly(deps, input.workspaceId, input.githubLogin, choice.options);
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
