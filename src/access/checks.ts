import type { ActionRule } from "./actions";
import { type AppMember, checkAppUsable, checkConfirmation, checkReadOnly, SURFACE_APP_KIND } from "./apps";
import {
  canDeleteEnvironment,
  canEditEnvironment,
  canSeeEnvironment,
  effectiveInternet,
  repoAllows,
} from "./environments";
import * as msg from "./messages";
import { pluginStatusFor } from "./plugins";
import type { AppEntry, IndexedSnapshot, MemberEntry } from "./snapshot-index";
import type { AccessRequest, AppKind, Decision, DecisionCode, EffectiveAccess, TraceStep } from "./types";

// The checks decide() runs, in its order; each appends one trace step. See decide.ts for the order and why.

export type Step = (s: State) => Decision | undefined;

export interface State {
  request: AccessRequest;
  rule: ActionRule;
  index: IndexedSnapshot;
  trace: TraceStep[];
  entry: MemberEntry;
  apps: AppEntry[];
  effective: EffectiveAccess;
}

export const pass = (s: State, check: string, found: string): undefined => {
  s.trace.push({ check, outcome: "pass", found });
};
export const skip = (s: State, check: string, found: string): undefined => {
  s.trace.push({ check, outcome: "skip", found });
};
export const fail = (
  s: State,
  check: string,
  found: string,
  code: DecisionCode,
  message: string,
): Decision => {
  s.trace.push({ check, outcome: "fail", found });
  return { allowed: false, code, message, trace: s.trace, effective: s.effective };
};

export const checkWorkspace: Step = (s) => {
  if (s.rule.toggles.length === 0) return skip(s, "workspace", "no workspace switch governs this action");
  const toggles = s.index.snapshot.toggles;
  for (const key of s.rule.toggles) {
    if (!toggles[key]) {
      const denial = msg.TOGGLE_DENIALS[key];
      return fail(s, "workspace", `${denial.name} is off`, denial.code, denial.message);
    }
  }
  pass(s, "workspace", `on: ${s.rule.toggles.map((k) => msg.TOGGLE_DENIALS[k].name).join(", ")}`);
};

export const checkApps: Step = (s) => {
  const kind = SURFACE_APP_KIND[s.request.surface];
  // Repository writes land in GitHub through the GitHub app whichever surface asked (Slack, the web, the API).
  const kinds: AppKind[] = kind ? [kind] : [];
  if (s.rule.repo === "write" && kind !== "github") kinds.push("github");
  if (kinds.length === 0) return skip(s, "app", `the ${s.request.surface} surface goes through no app`);
  const member: AppMember = {
    id: s.entry.member.id,
    groupIds: s.entry.member.groupIds,
    roleIds: s.entry.roleIds,
  };
  for (const k of kinds) {
    const check = `app:${k}`;
    const app = s.index.appByKind.get(k);
    if (!app)
      return fail(
        s,
        check,
        `no ${k} app is set up`,
        "APP_DISABLED",
        msg.appMessage("APP_DISABLED", k, s.rule),
      );
    const usable = checkAppUsable(app.app, app.audience, member);
    if (!usable.ok)
      return fail(s, check, usable.found, usable.code, msg.appMessage(usable.code, app.app.name, s.rule));
    const mode = checkReadOnly(app.app, s.rule.effect);
    if (!mode.ok)
      return fail(s, check, mode.found, mode.code, msg.appMessage(mode.code, app.app.name, s.rule));
    pass(s, check, `${usable.found}; ${s.rule.effect} (${s.rule.why})`);
    s.apps.push(app);
  }
};

export const checkRole: Step = (s) => {
  const { gate } = s.rule;
  if (gate === "environment_manager") return skip(s, "role", "decided by the environment check");
  if (s.entry.member.isOwner) return pass(s, "role", "workspace owner: holds every permission");
  const via = s.entry.usesDefaultRole ? "default role" : "roles";
  const roles = s.entry.roleIds.length ? s.entry.roleIds.join(", ") : "none";
  if (gate === "owner") {
    return fail(
      s,
      "role",
      `not a workspace owner (${via}: ${roles})`,
      "NOT_OWNER",
      msg.roleMessage(gate, s.rule),
    );
  }
  if (s.entry.permissionSet.has(gate)) return pass(s, "role", `${gate} granted by ${via}: ${roles}`);
  const code = gate === "codex_admin" ? "NOT_CODEX_ADMIN" : "NO_ROLE_PERMISSION";
  return fail(s, "role", `${via} (${roles}) lack ${gate}`, code, msg.roleMessage(gate, s.rule));
};

export const checkPlugin: Step = (s) => {
  const id = s.request.pluginId;
  if (id === undefined) return skip(s, "plugin", "no plugin involved");
  const plugin = s.index.plugins.get(id);
  if (!plugin) return fail(s, "plugin", `no plugin ${id}`, "PLUGIN_UNAVAILABLE", msg.pluginMessage(id, []));
  const member: AppMember = {
    id: s.entry.member.id,
    groupIds: s.entry.member.groupIds,
    roleIds: s.entry.roleIds,
  };
  const status = pluginStatusFor(plugin, s.entry.roleIds, (appId) => {
    const app = s.index.apps.get(appId);
    return app !== undefined && checkAppUsable(app.app, app.audience, member).ok;
  });
  if (status.status === "none") {
    const names = status.missingAppIds.map((appId) => s.index.apps.get(appId)?.app.name ?? appId);
    return fail(s, "plugin", status.found, "PLUGIN_UNAVAILABLE", msg.pluginMessage(plugin.name, names));
  }
  pass(s, "plugin", `${status.found}; grants nothing beyond the other checks`);
};

export const checkEnvironment: Step = (s) => {
  const { rule, request, entry } = s;
  if (rule.environment === "none") return skip(s, "environment", "this action needs no environment");
  const access =
    request.environmentId === undefined ? undefined : s.index.environments.get(request.environmentId);
  if (!access) {
    const found =
      request.environmentId === undefined
        ? "no environment given"
        : `no environment ${request.environmentId}`;
    return fail(s, "environment", found, "ENV_NOT_FOUND", msg.envMissingMessage(request.environmentId));
  }
  const { env } = access;
  const memberId = entry.member.id;
  const visible = canSeeEnvironment(access, memberId);
  if (rule.environment === "run") {
    if (!visible)
      return fail(
        s,
        "environment",
        `${env.name} is private`,
        "ENV_NOT_VISIBLE",
        msg.envHiddenMessage(env.name),
      );
    const internet = effectiveInternet(env, s.index.snapshot.toggles, entry.permissionSet);
    s.effective = { ...s.effective, internet: internet.access };
    return pass(
      s,
      "environment",
      `${env.name} (${env.repository}) is visible (${env.visibility}); internet: ${internet.found}`,
    );
  }
  const who = { isOwner: entry.member.isOwner, isCodexAdmin: entry.permissionSet.has("codex_admin") };
  const managed =
    rule.environment === "edit"
      ? canEditEnvironment(access, memberId, who)
      : canDeleteEnvironment(access, memberId, who);
  if (managed.ok) return pass(s, "environment", managed.found);
  if (!visible)
    return fail(
      s,
      "environment",
      `${env.name} is private`,
      "ENV_NOT_VISIBLE",
      msg.envHiddenMessage(env.name),
    );
  return fail(s, "environment", managed.found, "ENV_NOT_EDITABLE", msg.envManageMessage(env.name, rule));
};

export const checkRepository: Step = (s) => {
  const need = s.rule.repo;
  if (need === "none") return skip(s, "repository", "this action needs no repository access");
  // checkEnvironment ran first and passed, so the environment exists.
  const repository =
    s.index.environments.get(s.request.environmentId as string)?.env.repository ?? "the repository";
  const permission = s.request.repoPermission;
  if (permission === null || permission === undefined) {
    const linked = s.request.githubLinked ?? Boolean(s.entry.member.identities.githubLogin);
    if (!linked) {
      return fail(
        s,
        "repository",
        "no linked GitHub login",
        "IDENTITY_UNLINKED",
        msg.unlinkedMessage(repository),
      );
    }
    // Unknown despite a linked login (GitHub not asked or unreachable): fail closed, never assume access.
    return fail(
      s,
      "repository",
      `GitHub gave no answer for ${repository}`,
      "REPO_NO_ACCESS",
      msg.repoUnconfirmedMessage(repository),
    );
  }
  const verdict = repoAllows(need, permission);
  const found = `GitHub says "${permission}" on ${repository}; ${need} needed`;
  if (verdict === "no_access")
    return fail(s, "repository", found, "REPO_NO_ACCESS", msg.repoNoAccessMessage(repository));
  if (verdict === "no_write")
    return fail(s, "repository", found, "REPO_NO_WRITE", msg.repoNoWriteMessage(repository));
  pass(s, "repository", found);
};

export const checkConfirmationStep: Step = (s) => {
  if (s.rule.effect === "read") return skip(s, "confirmation", "reads need no confirmation");
  if (s.apps.length === 0) return skip(s, "confirmation", "no app carries this write");
  const confirmed = s.request.confirmed === true;
  for (const app of s.apps) {
    const check = checkConfirmation(app.app, "write", confirmed);
    if (!check.ok)
      return fail(
        s,
        "confirmation",
        check.found,
        check.code,
        msg.appMessage(check.code, app.app.name, s.rule),
      );
  }
  const asked = s.apps.some((app) => app.app.confirmWrites);
  pass(s, "confirmation", asked ? "the person confirmed the write" : "no app requires confirming writes");
};
