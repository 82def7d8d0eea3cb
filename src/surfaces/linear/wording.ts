import type { DecisionCode } from "../../access/types";
import type { RecordedDecision } from "../../pipeline/access";
import { renderLinearDenial, renderLinearElicitation } from "../../replies/linear-activity";
import { escapeMarkdown } from "../../replies/linear-body";
import type { EnvironmentOption } from "../../routing/mention";

// What the Linear surface says besides the end of a task (notify/finish.ts says that).

export const ACK_THOUGHT = "On it: checking your access and where this should run…";
export const FOLLOW_UP_THOUGHT = "Got it: picking this up…";

/** Linear's stop signal, when no task of the session was cancelled to say so in its own reply (stop.ts). */
export const STOPPED_IDLE =
  "Stopped. Nothing is running in this session, and nothing will start until you ask again.";
export const STOPPED_PENDING =
  "Stopped. The request waiting for an environment was dropped; nothing is running in this session.";

export const NOT_LINKED = {
  reason: "This Linear workspace isn't connected to a Codex workspace, so Codex can't tell who you are here.",
  nextStep:
    "Ask a Codex workspace admin to install Codex for Linear (GET /setup/linear on the hub), then ask again.",
};

const NEXT_STEPS: Partial<Record<DecisionCode, string>> = {
  IDENTITY_UNLINKED:
    "Mention @Codex in Slack to get a link, shown only to you, that connects your GitHub account (or ask a workspace admin to map your GitHub login), then ask again here.",
  UNKNOWN_ACTOR: "Once a workspace admin has added you, ask again here.",
};

/** A refusal: the decision's own words, what to do next, and the decision id an admin can look up. */
export function denialBody(decision: RecordedDecision): string {
  const next = NEXT_STEPS[decision.code] ?? "Once that is sorted out, ask again here.";
  return renderLinearDenial({
    reason: decision.message,
    nextStep: `${next} (An admin can see why with \`/codex explain ${decision.decisionId}\`.)`,
  }).body;
}

export function noEnvironmentBody(message: string, next?: string): string {
  if (next) return renderLinearDenial({ reason: message, nextStep: next }).body;
  const [reason, ...rest] = message.split(": ");
  const nextStep = rest.join(": ");
  return renderLinearDenial({
    reason: `${reason}.`,
    nextStep: nextStep ? nextStep.charAt(0).toUpperCase() + nextStep.slice(1) : "Ask a Codex Admin.",
  }).body;
}

/** Outside agent sessions there is no elicitation: the person mentions Codex again and names the environment. */
export function pickCommentBody(options: readonly EnvironmentOption[], message: string): string {
  const content = renderLinearElicitation({ options, message });
  const asked = "body" in content ? content.body : message;
  const example = options[0] ? ` (for example \`env:${options[0].name}\`)` : "";
  return asked.replace(
    "Reply with the name of the environment to use.",
    `Mention @codex again with \`env:<name>\`${example} to pick one.`,
  );
}

export function startThought(environment: { name: string; repository: string }, mode = "code"): string {
  const ask = mode === "ask" ? " in Ask mode: an answer only, no changes pushed" : "";
  return `Working in **${escapeMarkdown(environment.name)}** (${escapeMarkdown(environment.repository)})${ask}. Progress shows here; the answer follows when the task ends.`;
}

/** The environment a session was to run in (a follow-up's, or the one picked) is no longer visible to the member. */
export const ENVIRONMENT_GONE =
  "The environment this would run in is no longer available to you. Which one should I use?";

/** The answer to "which environment?" names none of those offered. */
export function unclearPick(reply: string): string {
  return `I couldn't tell which environment “${reply.trim().slice(0, 80)}” means. Which one should I use?`;
}

/** The environment named is not one the member may use: what they may use instead. */
export function unknownEnvironmentNextStep(usable: readonly { name: string }[]): string {
  const names = usable.slice(0, 10).map((e) => e.name);
  return `Environments you can use: ${names.join(", ")}. Mention @codex again with \`env:<name>\` to pick one.`;
}
