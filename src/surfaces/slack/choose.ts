import type { Deps } from "../../deps";
import { chooseEnvironment, type ParsedMention } from "../../routing/mention";
import { memberRepoPermission, type UsableEnvironment } from "./environments";

// Which environment a mention runs in (routing/mention.ts decides the order: named in the message, the
// thread's earlier task, the channel's default, the member's only one, else ask). Before asking, or settling on the only choice left,
// environments whose repository GitHub says the member cannot read are dropped: a picker never offers a
// button that can only lead to a refusal.

export type MentionChoice =
  | { kind: "chosen"; environment: UsableEnvironment }
  | { kind: "pick"; options: UsableEnvironment[]; message: string }
  | { kind: "none"; reason: string; nextStep: string };

const NONE = {
  kind: "none",
  reason: "No available environments: none is set up for you in this workspace.",
  nextStep: "Ask a Codex Admin to create an environment for your repository or give you access to one.",
} as const;

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
  // Without a linked login GitHub cannot be asked; the access check then says how to connect it.
  if (!input.githubLogin) return choice;
  const readable: UsableEnvironment[] = [];
  for (const env of choice.options) {
    const permission = await memberRepoPermission(deps, {
      workspaceId: input.workspaceId,
      githubLogin: input.githubLogin,
      repository: env.repository,
    });
    // Unknown (GitHub would not say) stays: the access check decides, and explains, once it is picked.
    if (permission !== "none") readable.push(env);
  }
  const [only] = readable;
  if (!only) {
    return {
      kind: "none",
      reason: "GitHub gives you access to none of the repositories of the environments you can use.",
      nextStep:
        "Ask a repository admin for access, or a Codex Admin for an environment of a repository you can read.",
    };
  }
  if (readable.length === 1) return { kind: "chosen", environment: only };
  return { ...choice, options: readable };
}
