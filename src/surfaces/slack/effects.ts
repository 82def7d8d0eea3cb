import type { Deps } from "../../deps";
import type { StepResult } from "../../inbox/processor";
import { recordDecision } from "../../pipeline/access";
import { renderConfirmPrompt, renderEnvironmentPicker } from "../../replies/slack-interactive";
import { renderDenial } from "../../replies/slack-messages";
import { loadArrival, loadMentionFacts, type MentionEvent, withPermissions } from "./context";
import { denialMessage } from "./denial";
import { type Audience, tell, textMessage } from "./outbound";
import { createPending } from "./pending";
import {
  type Decided,
  type MentionAnswers,
  type MentionFacts,
  type MentionPending,
  type MentionPlan,
  messageKey,
  planMention,
  targetOf,
} from "./plan";
import { announce, isExternallyShared, startMentionTask } from "./task-start";

// A mention's plan carried out: each access decision recorded as the plan made it, then the refusal, the
// question or the task. Everything said goes to the person alone, once per dedupe key.

export interface ResumeOptions extends MentionAnswers {
  /** Where to say things: ephemeral in the channel, or the response URL of the button pressed. */
  audience: Audience;
  /** Prefix of the dedupe keys of what is said, so a retry says nothing twice. */
  tellKey: string;
  /**
   * For thread replies that did not @mention Codex: refusals are said once per person, thread and reason
   * (under this key), since the person may not be talking to Codex at all.
   */
  denialKey?: string;
}

const denialKey = (options: ResumeOptions, code: string) =>
  options.denialKey ? `${options.denialKey}:${code}` : `${options.tellKey}:denied`;

/** `@Codex <request>` (or a reply in a thread Codex was mentioned in), as Slack delivered it. */
export async function handleMention(
  deps: Deps,
  event: MentionEvent,
  botUserId: string | null,
): Promise<StepResult> {
  const arrival = await loadArrival(deps, event, botUserId);
  if (arrival.kind === "ignored") return { outcome: arrival.outcome };
  if (arrival.kind === "started") {
    await announce(deps, arrival.task, arrival.request);
    return { outcome: `task ${arrival.task.id} already started for this message` };
  }
  const { request } = arrival.pending;
  return resumeMention(deps, arrival.pending, {
    audience: {
      via: "ephemeral",
      target: targetOf(request),
      channel: request.channel,
      user: request.userId,
      threadTs: request.threadTs,
    },
    tellKey: messageKey(request),
    ...(event.source === "message" && request.threadTs
      ? {
          denialKey: `slack:thread-denied:${request.teamId}:${request.channel}:${request.threadTs}:${request.userId}`,
        }
      : {}),
  });
}

/** From the mention (or a button press) to a task, a picker, a confirmation or a refusal. */
export async function resumeMention(
  deps: Deps,
  pending: MentionPending,
  options: ResumeOptions,
): Promise<StepResult> {
  const { environmentId, confirmed, declinedWrite } = options;
  let facts = await loadMentionFacts(deps, pending, { environmentId, confirmed, declinedWrite });
  // GitHub is asked only about the repositories the plan turns on; each answer is asked for once.
  for (;;) {
    const plan = planMention(facts);
    if (plan.kind !== "need-permissions") return perform(deps, facts, plan, options);
    facts = await withPermissions(deps, facts, plan.repositories);
  }
}

async function perform(
  deps: Deps,
  facts: MentionFacts,
  plan: MentionPlan,
  options: ResumeOptions,
): Promise<StepResult> {
  const { pending } = facts;
  const { request, workspaceId } = pending;
  const record = (decided: Decided, suffix = "") =>
    recordDecision(deps, {
      workspaceId,
      ...decided,
      actorLabel: `slack:${request.userId}`,
      target: `${messageKey(request)}${suffix}`,
    }).then((recorded) => recorded.decisionId);
  switch (plan.kind) {
    case "refuse": {
      const decisionId = await record(plan.access);
      const { decision } = plan.access;
      const message = await denialMessage(deps, decision, {
        memberId: facts.memberId,
        usableNames: plan.usableNames,
      });
      await tell(deps, options.audience, message, denialKey(options, decision.code));
      return { outcome: `denied: ${decision.code} (decision ${decisionId})` };
    }
    case "no-environment": {
      const decisionId = await record(plan.access);
      const denial = renderDenial({ reason: plan.reason, nextStep: plan.nextStep });
      await tell(deps, options.audience, denial, denialKey(options, plan.code));
      const what = plan.code === "UNKNOWN_ENVIRONMENT" ? "the environment named" : "no usable environment";
      return { outcome: `denied: ${what} (decision ${decisionId})` };
    }
    case "ask-request": {
      const message = textMessage(
        "What should I do? Mention me with a request, e.g. `@Codex fix the flaky login test`.",
      );
      await tell(deps, options.audience, message, `${options.tellKey}:empty`);
      return { outcome: "ignored: a mention without a request" };
    }
    case "pick": {
      const ref = await createPending(deps, {
        workspaceId,
        kind: "pick",
        teamId: request.teamId,
        userId: request.userId,
        payload: pending,
      });
      const picker = renderEnvironmentPicker({
        requestRef: ref,
        options: plan.options,
        message: plan.message,
      });
      await tell(deps, options.audience, picker, `${options.tellKey}:picker`);
      return { outcome: `asked to pick one of ${plan.options.length} environments` };
    }
    case "confirm": {
      // The write is recorded apart from the task's own decision (its target says so), so `/codex explain`
      // shows both.
      await record(plan.access);
      await record(plan.write, ":write");
      const ref = await createPending(deps, {
        workspaceId,
        kind: "confirm",
        teamId: request.teamId,
        userId: request.userId,
        payload: { ...pending, environmentId: plan.environment.id } satisfies MentionPending,
      });
      const prompt = renderConfirmPrompt({
        confirmRef: ref,
        appName: plan.appName,
        summary: `let Codex open a pull request on ${plan.environment.repository} if this task changes code. “Don't do it” still runs the task, without a pull request.`,
      });
      await tell(deps, options.audience, prompt, `${options.tellKey}:confirm`);
      return { outcome: "asked to confirm the pull request write" };
    }
    case "start": {
      await record(plan.access);
      await record(plan.write, ":write");
      const { task, created } = await startMentionTask(deps, {
        workspaceId,
        memberId: plan.memberId,
        request,
        prompt: plan.prompt,
        mode: plan.mode,
        environment: plan.environment,
        repoPermission: plan.repoPermission,
        write: plan.writeAllowed,
        externallyShared: await isExternallyShared(deps, request, plan.fullAnswers),
      });
      if (options.audience.via === "response_url") {
        await tell(
          deps,
          options.audience,
          textMessage(
            `Working on it in *${plan.environment.name}*${plan.mode === "ask" ? " (Ask mode: answer only)" : ""}.`,
          ),
          `${options.tellKey}:started`,
        );
      }
      return {
        outcome: `${created ? "started" : "already started"} task ${task.id} in ${plan.environment.name}`,
      };
    }
  }
}
