import type { WorkspaceToggles } from "../../../access/types";
import type { apps } from "../../../db/schema/access";
import { TOGGLE_LABELS, WORKSPACE_TOGGLES, type WorkspaceToggle } from "../../../routing/slash-types";
import { type AppView, appsService } from "../../../workspace/apps";
import { requireWorkspaceRow, togglesOf, updateToggles } from "../../../workspace/workspaces";
import { byName, changed, code, esc, type Handler, onOff, reply, unchanged } from "./context";

// Workspace switches and apps through the same domain functions as PATCH /api/v1/workspaces/{id}/toggles
// and PATCH /api/v1/workspaces/{id}/apps/{appId}: the same writes, audit records (before → after) and
// snapshot refresh.

export const TOGGLE_KEYS: Record<WorkspaceToggle, keyof WorkspaceToggles> = {
  "codex-local": "codexLocal",
  "codex-cloud": "codexCloud",
  "github-connector": "githubConnector",
  "code-review": "codeReview",
  "slack-full-answers": "slackFullAnswers",
  "linear-full-answers": "linearFullAnswers",
  "agent-internet": "agentInternet",
  "zero-data-retention": "zeroDataRetention",
};

export const settingsShow: Handler<"settings.show"> = async (ctx) => {
  const toggles = togglesOf(await requireWorkspaceRow(ctx.deps, ctx.workspaceId));
  const lines = WORKSPACE_TOGGLES.map(
    (name) => `• ${code(name)} *${onOff(toggles[TOGGLE_KEYS[name]])}*: ${TOGGLE_LABELS[name]}`,
  );
  return reply(["*Workspace settings*", ...lines].join("\n"), "listed the workspace settings");
};

export const settingsSet: Handler<"settings.set"> = async (ctx, command) => {
  const { deps, workspaceId } = ctx;
  const key = TOGGLE_KEYS[command.toggle];
  const before = togglesOf(await requireWorkspaceRow(deps, workspaceId));
  if (before[key] === command.enabled) {
    return reply(unchanged(command.toggle, onOff(command.enabled)), "no change");
  }
  await updateToggles(deps, workspaceId, { [key]: command.enabled }, ctx.actor);
  return reply(
    changed(
      `${command.toggle} (${TOGGLE_LABELS[command.toggle]})`,
      onOff(before[key]),
      onOff(command.enabled),
    ),
    `${command.toggle} ${onOff(before[key])} → ${onOff(command.enabled)}`,
  );
};

type AppRow = typeof apps.$inferSelect;

const modeOf = (app: Pick<AppRow, "mode" | "confirmWrites">) =>
  app.mode === "read_only" ? "read-only" : app.confirmWrites ? "confirm" : "read-write";

function describeApp(app: AppView): string {
  const access = app.access.type === "all" ? "everyone" : "assigned people, groups and roles";
  return `• *${esc(app.name)}* (${app.kind}): ${app.enabled ? "enabled" : "disabled"}, ${app.status}, ${modeOf(app)}, open to ${access}`;
}

async function appRows(ctx: Parameters<Handler<"app.list">>[0]): Promise<AppView[]> {
  return appsService.list(ctx.deps, ctx.workspaceId);
}

/** An app by id or name, else the first app of a kind (`slack`, `github`, `linear`). */
function findApp(list: AppView[], wanted: string): AppView | undefined {
  return byName(list, wanted) ?? list.find((a) => a.kind === wanted.trim().toLowerCase());
}

export const appList: Handler<"app.list"> = async (ctx) => {
  const list = await appRows(ctx);
  const text = list.length ? ["*Apps*", ...list.map(describeApp)].join("\n") : "No apps are set up.";
  return reply(text, `listed ${list.length} apps`);
};

async function updateApp(
  ctx: Parameters<Handler<"app.list">>[0],
  wanted: string,
  patch: Partial<Pick<AppRow, "enabled" | "mode" | "confirmWrites">>,
  describe: (app: AppView) => string,
) {
  const list = await appRows(ctx);
  const before = findApp(list, wanted);
  if (!before) {
    return reply(
      `No app named ${code(wanted)}. Apps: ${list.map((a) => a.name).join(", ") || "none"}.`,
      "unknown app",
    );
  }
  const after = { ...before, ...patch };
  if (describe(before) === describe(after))
    return reply(unchanged(before.name, describe(before)), "no change");
  await appsService.update(ctx.deps, ctx.workspaceId, before.id, patch, ctx.actor);
  return reply(
    changed(before.name, describe(before), describe(after)),
    `${before.name} ${describe(before)} → ${describe(after)}`,
  );
}

export const appSetEnabled: Handler<"app.set-enabled"> = (ctx, command) =>
  updateApp(ctx, command.app, { enabled: command.enabled }, (a) => (a.enabled ? "enabled" : "disabled"));

const MODE_PATCH = {
  "read-only": { mode: "read_only", confirmWrites: false },
  "read-write": { mode: "read_write", confirmWrites: false },
  confirm: { mode: "read_write", confirmWrites: true },
} as const;

export const appMode: Handler<"app.mode"> = (ctx, command) =>
  updateApp(ctx, command.app, MODE_PATCH[command.mode], modeOf);
