import { ACTION_RULES, type ActionRule } from "./actions";
import {
  checkApps,
  checkConfirmationStep,
  checkEnvironment,
  checkPlugin,
  checkRepository,
  checkRole,
  checkWorkspace,
  fail,
  pass,
  type State,
  type Step,
} from "./checks";
import * as msg from "./messages";
import { ensureIndexed, type IndexedSnapshot, type MemberEntry } from "./snapshot-index";
import { type AccessRequest, type Decision, SURFACES, type TraceStep, type WorkspaceSnapshot } from "./types";

// One question, answered the same way for every surface: may this person, through this app, in this
// environment, do this? The checks run in a fixed order; each appends one trace step (pass, fail, or skip when
// it does not apply to the action) and the first failure decides. The order:
//   1. actor          the request maps to a known member (by member id, or the linked platform identity)
//   2. member.status  the member is active (deactivated members lose access at once)
//   3. surface        local.use only from local clients, every other action only from the other surfaces
//   4. workspace      the switches the action needs are on (local; cloud, GitHub connector; code review)
//   5. app:<kind>     each app carrying the action is enabled, published, assigned to the member, and not
//                     read-only for a write: the surface's app (none for api, web, local), plus the GitHub
//                     app for repository writes, since a PR is created in GitHub through it whatever asked.
//   6. role           the member holds the permission (codex_cloud, codex_local, codex_admin) or is an owner
//   7. plugin         if a plugin is named: available to one of the member's roles with every required app
//                     usable; it only ever narrows, never widens, what the other checks allow
//   8. environment    exists and is visible (run) or manageable by the member (edit, delete)
//   9. repository     GitHub's answer for the member's linked login: read to run or review, write for PRs
//  10. confirmation   last, so nobody is asked to confirm a write that would be refused anyway
// Identity comes first so nothing about the workspace is revealed to an unknown actor.

function resolveActor(index: IndexedSnapshot, actor: AccessRequest["actor"]): MemberEntry | null | undefined {
  if (actor.memberId !== null) return index.members.get(actor.memberId);
  const id = actor.platformUserId;
  if (!id) return undefined;
  if (actor.platform === "slack") return index.bySlackUser.get(id);
  if (actor.platform === "linear") return index.byLinearUser.get(id);
  if (actor.platform === "github") return index.byGithubLogin.get(id.toLowerCase());
  return undefined;
}

const KNOWN_SURFACES: ReadonlySet<string> = new Set(SURFACES);

const STEPS: readonly Step[] = [
  checkWorkspace,
  checkApps,
  checkRole,
  checkPlugin,
  checkEnvironment,
  checkRepository,
  checkConfirmationStep,
];

/** Decides one request against a workspace. Pass the cached IndexedSnapshot on live traffic. */
export function decide(request: AccessRequest, snapshot: WorkspaceSnapshot | IndexedSnapshot): Decision {
  const index = ensureIndexed(snapshot);
  const trace: TraceStep[] = [];
  // Own-property lookup: the action string may come from outside (the explain API), e.g. "constructor".
  const rule: ActionRule | undefined = Object.hasOwn(ACTION_RULES, request.action)
    ? ACTION_RULES[request.action]
    : undefined;
  if (!rule) {
    trace.push({ check: "action", outcome: "fail", found: `unknown action ${String(request.action)}` });
    return {
      allowed: false,
      code: "ACTION_NOT_SUPPORTED",
      message: `"${String(request.action)}" is not an action Codex knows.`,
      trace,
    };
  }
  const entry = resolveActor(index, request.actor);
  if (!entry) {
    const { memberId, platform, platformUserId } = request.actor;
    const who = memberId ?? `${platform} user ${platformUserId ?? "(none)"}`;
    const found =
      entry === null ? `${who} is linked to more than one member` : `${who} is not a known member`;
    trace.push({ check: "actor", outcome: "fail", found });
    return {
      allowed: false,
      code: "UNKNOWN_ACTOR",
      message: msg.unknownActorMessage(request.actor.platform),
      trace,
    };
  }
  const s: State = { request, rule, index, trace, entry, apps: [], effective: entry.effective };
  pass(s, "actor", `member ${entry.member.id} (${entry.member.email})`);
  if (entry.member.status !== "active") {
    return fail(s, "member.status", "deactivated", "MEMBER_DEACTIVATED", msg.deactivatedMessage());
  }
  pass(s, "member.status", "active");
  if (!KNOWN_SURFACES.has(request.surface) || rule.local !== (request.surface === "local")) {
    return fail(
      s,
      "surface",
      `${request.action} from ${request.surface}`,
      "ACTION_NOT_SUPPORTED",
      msg.surfaceMessage(rule, request.action),
    );
  }
  pass(s, "surface", `${request.action} from ${request.surface}`);
  for (const step of STEPS) {
    const denied = step(s);
    if (denied) return denied;
  }
  return { allowed: true, code: "ALLOWED", message: msg.allowedMessage(rule), trace, effective: s.effective };
}
