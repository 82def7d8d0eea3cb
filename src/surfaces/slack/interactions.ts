import type { InboxRow } from "../../db/schema/inbox";
import type { Deps } from "../../deps";
import type { StepResult } from "../../inbox/processor";
import type { SlackEvent } from "../../ingress/events";
import { parseActionId, renderNotYourButton } from "../../replies/slack-interactive";
import { IllegalTransition } from "../../tasks/lifecycle";
import { cancelTask, getTask } from "../../tasks/service";
import { resolveMember } from "../../workspace/identity-resolve";
import { workspaceForSlackEvent } from "./bot-token-team";
import { type CommandPending, resumeCommand } from "./commands/index";
import { type MentionPending, resumeMention } from "./mention";
import { targetOf } from "./mention-task";
import { type Audience, teamDeps, tell, textMessage } from "./outbound";
import { claimPending, getPending, payloadOf } from "./pending";

// Buttons: the environment picker, "Confirm" / "Don't do it" for a write an app wants confirmed, and
// "Cancel task". Only the person who asked may press them; anyone else is told so, privately.
// https://api.slack.com/reference/interaction-payloads/block-actions

type InteractionEvent = Extract<SlackEvent, { kind: "interaction" }>;

export async function handleInteraction(
  deps: Deps,
  event: InteractionEvent,
  row: InboxRow,
): Promise<StepResult> {
  const [action] = event.actions;
  const parsed = action ? parseActionId(action.actionId) : null;
  if (!parsed) return { outcome: "ignored: not a Codex button" };
  const workspace = await workspaceForSlackEvent(deps, event);
  if (!workspace) return { outcome: `ignored: Slack team ${event.teamId} is not connected to a workspace` };
  const audience: Audience | null = event.responseUrl
    ? { via: "response_url", url: event.responseUrl }
    : event.channelId
      ? { via: "ephemeral", target: targetOf(event), channel: event.channelId, user: event.userId }
      : null;
  if (!audience) return { outcome: "ignored: a button press with nowhere to answer" };
  const key = `slack:press:${row.id}`;
  const say = (text: string, replace = false) =>
    tell(
      deps,
      replace && audience.via === "response_url" ? { ...audience, replace } : audience,
      textMessage(text),
      key,
    );

  if (parsed.verb === "cancel-task") {
    const resolved = await resolveMember(teamDeps(deps, targetOf(event)), workspace.id, {
      platform: "slack",
      userId: event.userId,
    });
    const task = await getTask(deps, parsed.ref);
    if (
      !task ||
      task.workspaceId !== workspace.id ||
      !resolved.memberId ||
      task.requesterMemberId !== resolved.memberId
    ) {
      await tell(deps, audience, renderNotYourButton(), key);
      return { outcome: `refused: ${event.userId} pressed cancel on someone else's task` };
    }
    try {
      const cancelled = await cancelTask(deps, task.id, { memberId: resolved.memberId });
      await say(`Cancelled the task (it was ${task.status}).`);
      return { outcome: `cancelled task ${cancelled.id}` };
    } catch (error) {
      if (!(error instanceof IllegalTransition)) throw error;
      await say(`That task already ended (${task.status}); nothing to cancel.`);
      return { outcome: `task ${task.id} already ${task.status}` };
    }
  }

  // Picker buttons carry the pending request in `value`; confirmation buttons in their action id.
  const pendingId = parsed.verb === "env" ? (action?.value ?? "") : parsed.ref;
  const pending = pendingId ? await getPending(deps, pendingId) : null;
  if (!pending || pending.workspaceId !== workspace.id) {
    await say("That request is no longer known. Mention me again to start over.");
    return { outcome: "ignored: unknown pending request" };
  }
  if (pending.userId !== event.userId) {
    await tell(deps, audience, renderNotYourButton(), key);
    return { outcome: `refused: ${event.userId} pressed a button of ${pending.userId}` };
  }
  const resolution = parsed.verb === "env" ? `env:${parsed.ref}` : parsed.verb;
  const claim = await claimPending(deps, pending.id, row.id, resolution);
  if (!claim.ok) {
    await say(
      claim.why === "expired"
        ? "That request expired. Mention me again to start over."
        : "You already answered that one.",
      true,
    );
    return { outcome: `ignored: pending request ${claim.why}` };
  }
  const replaced: Audience = audience.via === "response_url" ? { ...audience, replace: true } : audience;
  const payload = payloadOf<MentionPending | CommandPending>(claim.row);
  if (payload.type === "command") {
    if (parsed.verb === "decline") {
      await tell(deps, replaced, textMessage("Nothing was changed."), key);
      return { outcome: "declined a confirmation: nothing changed" };
    }
    return resumeCommand(deps, payload, { audience: replaced, dedupeKey: key, confirmed: true });
  }
  return resumeMention(deps, payload, {
    audience: replaced,
    tellKey: key,
    ...(parsed.verb === "env" ? { environmentId: parsed.ref } : { environmentId: payload.environmentId }),
    ...(parsed.verb === "confirm" ? { confirmed: true } : {}),
    ...(parsed.verb === "decline" ? { declinedWrite: true } : {}),
  });
}
