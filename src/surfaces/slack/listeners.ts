import type { AllMiddlewareArgs, App } from "@slack/bolt";
import type { StepResult } from "../../inbox/types";
import { actionIdPattern } from "../../replies/slack-interactive";
import { callOf, eventOf, type SlackCall } from "./bolt-app";
import { handleCommand } from "./commands/index";
import { handleMention } from "./effects";
import { cancelTaskPressed, pendingAnswered } from "./interactions";

// What the Slack surface listens to, on Bolt's dispatch: `@Codex` mentions and replies in threads Codex was
// mentioned in become tasks, `/codex` administers the workspace, and the buttons the hub posts pick an
// environment, confirm or decline a write, and cancel a task. Each listener leaves its result on the call.

/** A listener that hands its call's result back to the adapter. */
const answering =
  (handle: (call: SlackCall, context: AllMiddlewareArgs["context"]) => Promise<StepResult>) =>
  async ({ context }: AllMiddlewareArgs): Promise<void> => {
    const call = callOf(context);
    call.result = await handle(call, context);
  };

const mention = (call: SlackCall, context: AllMiddlewareArgs["context"]) =>
  handleMention(call.deps, eventOf(call, "mention"), context.botUserId ?? null);

/** `@Codex <request>`. https://api.slack.com/events/app_mention */
const onAppMention = answering(mention);

/**
 * A person's reply in a thread (ingress keeps only those); it counts where Codex was mentioned before.
 * https://api.slack.com/events/message
 */
const onThreadMessage = answering(mention);

/** `/codex <subcommand>`. https://api.slack.com/interactivity/slash-commands */
const onCodexCommand = answering((call) =>
  handleCommand(call.deps, eventOf(call, "slash_command"), call.delivery.row),
);

/** "Cancel task" under a "working on it" message. */
const onCancelTask = answering((call) =>
  cancelTaskPressed(call.deps, eventOf(call, "interaction"), call.delivery.row),
);

/** A waiting request (a mention, or a `/codex` write) goes on with the person's answer. */
const answered = (call: SlackCall) =>
  pendingAnswered(call.deps, eventOf(call, "interaction"), call.delivery.row);

/** A button of the environment picker. */
const onEnvironmentPicked = answering(answered);
/** "Confirm" on a write an app wants confirmed. */
const onWriteConfirmed = answering(answered);
/** "Don't do it": the task runs without the write, a command changes nothing. */
const onWriteDeclined = answering(answered);

export function listen(app: App): void {
  app.event("app_mention", onAppMention);
  app.event("message", onThreadMessage);
  // Every command Slack sends to this URL is the app's own: the manifest names it `/codex`, and an app
  // installed under another name (a second app on the same hub) has always been served alike.
  app.command(/^\//, onCodexCommand);
  app.action(actionIdPattern("cancel-task"), onCancelTask);
  app.action(actionIdPattern("env"), onEnvironmentPicked);
  app.action(actionIdPattern("confirm"), onWriteConfirmed);
  app.action(actionIdPattern("decline"), onWriteDeclined);
}
