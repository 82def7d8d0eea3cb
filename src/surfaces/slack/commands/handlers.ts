import type { SlashCommand, SlashCommandKind } from "../../../routing/slash-types";
import { ADMIN_HANDLERS } from "./admin-handlers";
import type { CommandContext, CommandReply, Handler } from "./context";
import { limitsSet, limitsShow } from "./limits";
import { policyLookup } from "./policies";
import { repoAutoReview, repoContributors, repoReview, repoShow, repoTriggers, reviewMyPrs } from "./repo";
import { reviewMe } from "./review-me";
import { roleDefault, roleGrant, roleList, roleRevoke } from "./roles";
import { appList, appMode, appSetEnabled, settingsSet, settingsShow } from "./settings";
import { cancel, explain } from "./tasks";
import { envDefault, envList, notify, whoami } from "./workspace";

/** One handler per `/codex` command; `help` is answered before any handler runs. */
export const HANDLERS: { [K in Exclude<SlashCommandKind, "help">]: Handler<K> } = {
  whoami,
  "settings.show": settingsShow,
  "settings.set": settingsSet,
  "repo.show": repoShow,
  "repo.review": repoReview,
  "repo.auto-review": repoAutoReview,
  "repo.triggers": repoTriggers,
  "repo.contributors": repoContributors,
  "env.list": envList,
  "env.default": envDefault,
  notify,
  "role.list": roleList,
  "role.grant": roleGrant,
  "role.revoke": roleRevoke,
  "role.default": roleDefault,
  "app.list": appList,
  "app.set-enabled": appSetEnabled,
  "app.mode": appMode,
  "policy.lookup": policyLookup,
  "review-my-prs": reviewMyPrs,
  "review.me": reviewMe,
  explain,
  cancel,
  "limits.show": limitsShow,
  "limits.set": limitsSet,
  ...ADMIN_HANDLERS,
};

/** The handler of a (non-help) command, typed for any command. */
export function handlerFor(kind: Exclude<SlashCommandKind, "help">) {
  return HANDLERS[kind] as (ctx: CommandContext, command: SlashCommand) => Promise<CommandReply>;
}
