import type { Decision, DecisionCode } from "../../access/types";
import type { Deps } from "../../deps";
import { renderDenial } from "../../replies/slack-messages";
import type { SlackEphemeralMessage } from "../../replies/slack-types";
import { connectGitHubUrl } from "../../workspace/github-connect";

// A refusal, said to the person only: what is wrong, and the next step (connect GitHub with a link, ask an
// admin, pick another environment). The access module writes the words; this splits them into Slack's shape.

const ASK_ADMIN = "Ask a workspace admin, then mention me again.";

const FALLBACK_NEXT: Partial<Record<DecisionCode, string>> = {
  UNKNOWN_ACTOR: "Ask a workspace admin to add the email of your Slack profile as a member.",
  MEMBER_DEACTIVATED: "Ask a workspace admin to reactivate your account.",
  CLOUD_DISABLED: "Ask a workspace owner to turn on Codex cloud.",
  GITHUB_CONNECTOR_DISABLED: "Ask a workspace owner to turn on the GitHub connector.",
  REPO_NO_ACCESS: "Ask a repository admin for access, or pick another environment.",
  ENV_NOT_VISIBLE: "Pick another environment, or ask its creator to add you as a collaborator.",
  ENV_NOT_FOUND: "Pick another environment.",
};

/** "X is wrong. Do Y." → reason "X is wrong.", next step "Do Y." */
export function splitMessage(message: string): { reason: string; next: string | null } {
  const match = /^(.+?[.!?])\s+([A-Z].*)$/s.exec(message.trim());
  return match ? { reason: match[1] as string, next: match[2] as string } : { reason: message, next: null };
}

export interface DenialOptions {
  memberId: string | null;
  /** Environments the person may use, named in the next step of environment and repository refusals. */
  usableNames?: readonly string[];
}

export async function denialMessage(
  deps: Pick<Deps, "config" | "clock">,
  decision: Pick<Decision, "code" | "message">,
  options: DenialOptions,
): Promise<SlackEphemeralMessage> {
  const { reason, next } = splitMessage(decision.message);
  if (decision.code === "IDENTITY_UNLINKED" && options.memberId) {
    // The link names the member and is short-lived: it may only ever be shown to them (ephemeral).
    const url = await connectGitHubUrl(deps, options.memberId);
    return renderDenial({
      reason,
      nextStep: "Connect your GitHub account with the button below, then mention me again.",
      link: { url, label: "Connect GitHub" },
    });
  }
  let nextStep = next ?? FALLBACK_NEXT[decision.code] ?? ASK_ADMIN;
  const envRelated = ["ENV_NOT_FOUND", "ENV_NOT_VISIBLE", "REPO_NO_ACCESS"].includes(decision.code);
  if (envRelated && options.usableNames && options.usableNames.length > 0) {
    const names = options.usableNames.slice(0, 10).join(", ");
    nextStep = `${nextStep} Environments you can use: ${names}. Mention me again with env:<name> to pick one.`;
  }
  return renderDenial({ reason, nextStep });
}
