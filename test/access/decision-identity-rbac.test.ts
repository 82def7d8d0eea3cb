// Decision table, part 1: who is asking, from where, under which workspace switches and roles.
import { byId } from "./fixture";
import { type Row, runTable, viaApi } from "./table";

const identity: Row[] = [
  {
    name: "Slack user linked by id runs a task",
    req: { actor: { memberId: null, platform: "slack", platformUserId: "U-ALICE" } },
    code: "ALLOWED",
  },
  {
    name: "unknown Slack user is refused",
    req: { actor: { memberId: null, platform: "slack", platformUserId: "U-NOBODY" } },
    code: "UNKNOWN_ACTOR",
  },
  {
    name: "unknown GitHub login is refused",
    req: {
      actor: { memberId: null, platform: "github", platformUserId: "stranger" },
      surface: "github",
      action: "review.request",
    },
    code: "UNKNOWN_ACTOR",
  },
  {
    name: "GitHub login matches case-insensitively",
    req: {
      actor: { memberId: null, platform: "github", platformUserId: "alice-gh" },
      surface: "github",
      action: "review.request",
    },
    code: "ALLOWED",
  },
  {
    name: "Linear user linked by id",
    req: { actor: { memberId: null, platform: "linear", platformUserId: "L-ALICE" }, surface: "linear" },
    code: "ALLOWED",
  },
  {
    name: "member id not in the workspace",
    req: { actor: { memberId: "mallory", platform: "api" }, surface: "api" },
    code: "UNKNOWN_ACTOR",
  },
  {
    name: "API actor without member id",
    req: { actor: { memberId: null, platform: "api" }, surface: "api" },
    code: "UNKNOWN_ACTOR",
  },
  {
    name: "Slack id claimed by two active members is never guessed",
    req: { actor: { memberId: null, platform: "slack", platformUserId: "U-ALICE" } },
    code: "UNKNOWN_ACTOR",
    setup: (s) => {
      byId(s.members, "frank").identities.slackUserId = "U-ALICE";
    },
  },
  {
    name: "deactivated member loses access at once",
    req: { actor: { memberId: "erin", platform: "slack" } },
    code: "MEMBER_DEACTIVATED",
  },
  {
    name: "deactivated member found by Slack id",
    req: { actor: { memberId: null, platform: "slack", platformUserId: "U-ERIN" } },
    code: "MEMBER_DEACTIVATED",
  },
];

const surfaces: Row[] = [
  { name: "local.use is only for local clients", req: { action: "local.use" }, code: "ACTION_NOT_SUPPORTED" },
  { name: "cloud task from a local client surface", req: { surface: "local" }, code: "ACTION_NOT_SUPPORTED" },
];

const workspace: Row[] = [
  {
    name: "Codex local on: member with codex_local signs in",
    req: viaApi("alice", { surface: "local", action: "local.use" }),
    code: "ALLOWED",
  },
  {
    name: "Codex local off",
    req: viaApi("alice", { surface: "local", action: "local.use" }),
    code: "LOCAL_DISABLED",
    setup: (s) => {
      s.toggles.codexLocal = false;
    },
  },
  {
    name: "Codex cloud off",
    req: {},
    code: "CLOUD_DISABLED",
    setup: (s) => {
      s.toggles.codexCloud = false;
    },
  },
  {
    name: "GitHub connector off",
    req: {},
    code: "GITHUB_CONNECTOR_DISABLED",
    setup: (s) => {
      s.toggles.githubConnector = false;
    },
  },
  {
    name: "code review off blocks reviews",
    req: { surface: "github", actor: { memberId: "alice", platform: "github" }, action: "review.request" },
    code: "CODE_REVIEW_DISABLED",
    setup: (s) => {
      s.toggles.codeReview = false;
    },
  },
  {
    name: "code review off does not block tasks",
    req: {},
    code: "ALLOWED",
    setup: (s) => {
      s.toggles.codeReview = false;
    },
  },
  {
    name: "Codex Admin needs no Codex cloud for analytics",
    req: viaApi("bob", { action: "analytics.read" }),
    code: "ALLOWED",
    setup: (s) => {
      s.toggles.codexCloud = false;
    },
  },
];

const rbac: Row[] = [
  {
    name: "Codex Admin without codex_cloud cannot run tasks",
    req: { actor: { memberId: "bob", platform: "slack" } },
    code: "NO_ROLE_PERMISSION",
  },
  {
    name: "default role applies to a member with no custom role",
    req: viaApi("carol", { surface: "local", action: "local.use" }),
    code: "ALLOWED",
  },
  {
    name: "default role lacks codex_cloud",
    req: { actor: { memberId: "carol", platform: "slack" } },
    code: "NO_ROLE_PERMISSION",
  },
  {
    name: "custom role replaces the default role",
    req: viaApi("bob", { surface: "local", action: "local.use" }),
    code: "NO_ROLE_PERMISSION",
  },
  {
    name: "no default role set: member without custom role holds nothing",
    req: viaApi("carol", { surface: "local", action: "local.use" }),
    code: "NO_ROLE_PERMISSION",
    setup: (s) => {
      s.defaultRoleId = null;
    },
  },
  {
    name: "permissions are the union across groups (cloud)",
    req: { actor: { memberId: "gina", platform: "slack" } },
    code: "ALLOWED",
  },
  {
    name: "permissions are the union across groups (admin)",
    req: viaApi("gina", { action: "analytics.read" }),
    code: "ALLOWED",
  },
  {
    name: "owner with no role runs a task",
    req: { actor: { memberId: "dave", platform: "slack" }, githubLinked: true },
    code: "ALLOWED",
  },
  { name: "owner manages RBAC", req: viaApi("dave", { action: "rbac.manage" }), code: "ALLOWED" },
  { name: "owner changes settings", req: viaApi("dave", { action: "settings.change" }), code: "ALLOWED" },
  { name: "owner is a Codex Admin", req: viaApi("dave", { action: "policy.manage" }), code: "ALLOWED" },
  { name: "non-owner cannot manage RBAC", req: viaApi("gina", { action: "rbac.manage" }), code: "NOT_OWNER" },
  {
    name: "Codex Admin cannot change workspace settings",
    req: viaApi("bob", { action: "settings.change" }),
    code: "NOT_OWNER",
  },
  {
    name: "user cannot read analytics",
    req: viaApi("alice", { action: "analytics.read" }),
    code: "NOT_CODEX_ADMIN",
  },
  {
    name: "user cannot manage policies",
    req: viaApi("alice", { action: "policy.manage" }),
    code: "NOT_CODEX_ADMIN",
  },
  {
    name: "user cannot read settings",
    req: viaApi("alice", { action: "settings.read" }),
    code: "NOT_CODEX_ADMIN",
  },
  { name: "Codex Admin manages policies", req: viaApi("bob", { action: "policy.manage" }), code: "ALLOWED" },
];

runTable("identity and surfaces", identity);
runTable("surfaces", surfaces);
runTable("workspace switches", workspace);
runTable("roles and permissions", rbac);
