import { levelOf } from "../../access/levels";
import type { InboxRow } from "../../db/schema/inbox";
import type { Deps } from "../../deps";
import { recordAudit } from "../../governance/audit";
import type { StepResult } from "../../inbox/processor";
import type { SlackEvent } from "../../ingress/events";
import {
  type ParsedAction,
  parseActionId,
  renderCancelRefused,
  renderNotYourButton,
} from "../../replies/slack-interactive";
import { IllegalTransition } from "../../tasks/lifecycle";
import { cancelTask, getTask } from "../../tasks/service";
import { resolveMember } from "../../workspace/identity-resolve";
import { getSnapshot } from "../../workspace/snapshot";
import { workspaceForSlackEvent } from "./bot-token-team";
import { type CommandPending, resumeCommand } from "./commands/index";
import { resumeMention } from "./effects";
import { type Audience, teamDeps, tell, textMessage } from "./outbound";
import { claimPending, getPending, payloadOf } from "./pending";
import { type MentionPending, targetOf } from "./plan";

// Buttons: the environment picker, "Confirm" / "Don't do it" for a write an app wants confirmed, and
// "Cancel task". Only the person who asked may press them (and, for "Cancel task", the workspace's owners and
// Codex Admins); anyone else is told so, privately.
// https://api.slack.com/reference/interaction-payloads/block-actions

export type InteractionEvent = Extract<SlackEvent, { kind: "interaction" }>;

/** A press of one of the hub's buttons, with where its answers go. */
interface Press {
  event: InteractionEvent;
  action: ParsedAction;
  /** The button's `value` (picker buttons carry the pending request there). */
  value: string | null;
  workspaceId: string;
  audience: Audience;
  /** Dedupe key of what is said about this press. */
  key: string;
  say(text: string, replace?: boolean): Promise<void>;
}

/** The press, or why nothing is done about it. */
async function openPress(deps: Deps, event: InteractionEvent, row: InboxRow): Promise<Press | StepResult> {
  const [first] = event.actions;
  const action = first ? parseActionId(first.actionId) : null;
  if (!first || !action) return { outcome: "ignored: not a Codex button" };
  const workspace = await workspaceForSlackEvent(deps, event);
  if (!workspace) return { outcome: `ignored: Slack team ${event.teamId} is not connected to a workspace` };
  const audience: Audience | null = event.responseUrl
    ? { via: "response_url", url: event.responseUrl }
    : event.channelId
      ? { via: "ephemeral", target: targetOf(event), channel: event.channelId, user: event.userId }
      : null;
  if (!audience) return { outcome: "ignored: a button press with nowhere to answer" };
  const key = `slack:press:${row.id}`;
  return {
    event,
    action,
    value: first.value,
    workspaceId: workspace.id,
    audience,
    key,
    say: (text, replace = false) =>
      tell(
        deps,
        replace && audience.via === "response_url" ? { ...audience, replace } : audience,
        textMessage(text),
        key,
      ),
  };
}

const isPress = (opened: Press | StepResult): opened is Press => "action" in opened;

/**
 * "Cancel task" under a task's status message: honoured for the person who asked and for the workspace's owners
 * and Codex Admins (as `/codex cancel` and the admin API are); anyone else is told, privately, who can.
 */
export async function cancelTaskPressed(
  deps: Deps,
  event: InteractionEvent,
  row: InboxRow,
): Promise<StepResult> {
  const press = await openPress(deps, event, row);
  if (!isPress(press)) return press;
  const task = await getTask(deps, press.action.ref);
  if (!task || task.workspaceId !== press.workspaceId) {
    await press.say("That task is not known here; nothing to cancel.");
    return { outcome: `ignored: unknown task ${press.action.ref}` };
  }
  const resolved = await resolveMember(teamDeps(deps, targetOf(event)), press.workspaceId, {
    platform: "slack",
    userId: event.userId,
  });
  const snapshot = await getSnapshot(deps, press.workspaceId);
  const entry = resolved.memberId ? snapshot.members.get(resolved.memberId) : undefined;
  const level = levelOf(entry);
  const own = level !== null && task.requesterMemberId === entry?.member.id;
  if (!entry || (!own && level !== "owner" && level !== "codex_admin")) {
    const requester = snapshot.members.get(task.requesterMemberId)?.member.identities.slackUserId ?? null;
    await tell(deps, press.audience, renderCancelRefused(requester), press.key);
    return { outcome: `refused: ${event.userId} may not cancel task ${task.id}` };
  }
  const memberId = entry.member.id;
  try {
    const cancelled = await cancelTask(deps, task.id, own ? { memberId } : { admin: true, memberId });
    await recordAudit(deps, {
      workspaceId: press.workspaceId,
      actor: `member:${memberId}`,
      action: "task.cancel",
      target: task.id,
      before: { status: task.status },
      after: { status: cancelled.status, via: "slack_button" },
    });
    await press.say(`Cancelled the task (it was ${task.status}).`);
    return { outcome: `cancelled task ${cancelled.id}${own ? "" : ` as ${level}`}` };
  } catch (error) {
    if (!(error instanceof IllegalTransition)) throw error;
    await press.say(`That task already ended (${error.from}); nothing to cancel.`);
    return { outcome: `task ${task.id} already ${error.from}` };
  }
}

/**
 * An answer to a question the hub asked: an environment picked, or a write confirmed or declined. The
 * waiting request is resolved at most once, by its own requester, and then goes on where it stopped.
 */
export async function pendingAnswered(
  deps: Deps,
  event: InteractionEvent,
  row: InboxRow,
): Promise<StepResult> {
  const press = await openPress(deps, event, row);
  if (!isPress(press)) return press;
  const { action, audience, key } = press;
  // Picker buttons carry the pending request in `value`; confirmation buttons in their action id.
  const pendingId = action.verb === "env" ? (press.value ?? "") : action.ref;
  const pending = pendingId ? await getPending(deps, pendingId) : null;
  if (!pending || pending.workspaceId !== press.workspaceId) {
    await press.say("That request is no longer known. Mention me again to start over.");
    return { outcome: "ignored: unknown pending request" };
  }
  if (pending.userId !== event.userId) {
    await tell(deps, audience, renderNotYourButton(), key);
    return { outcome: `refused: ${event.userId} pressed a button of ${pending.userId}` };
  }
  const resolution = action.verb === "env" ? `env:${action.ref}` : action.verb;
  const claim = await claimPending(deps, pending.id, row.id, resolution);
  if (!claim.ok) {
    await press.say(
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
    if (action.verb === "decline") {
      await tell(deps, replaced, textMessage("Nothing was changed."), key);
      return { outcome: "declined a confirmation: nothing changed" };
    }
    return resumeCommand(deps, payload, { audience: replaced, dedupeKey: key, confirmed: true });
  }
  return resumeMention(deps, payload, {
    audience: replaced,
    tellKey: key,
    ...(action.verb === "env" ? { environmentId: action.ref } : { environmentId: payload.environmentId }),
    ...(action.verb === "confirm" ? { confirmed: true } : {}),
    ...(action.verb === "decline" ? { declinedWrite: true } : {}),
  });
}
