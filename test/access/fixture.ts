import type { AccessRequest, App, WorkspaceSnapshot } from "../../src/access/types";

// A small workspace that exercises every rule. Members:
//   alice  Codex Users (cloud + local), Slack U-ALICE, GitHub "Alice-GH", creator of the private environment
//   bob    Codex Admin only (codex_admin, no cloud, no local)
//   carol  no group: gets the default role (local only)
//   dave   workspace owner, no group, no linked GitHub login
//   erin   deactivated, Codex Users
//   frank  Codex Users + Internet (agent_internet), collaborator on the private environment
//   gina   Codex Users + Codex Admin

const app = (id: string, kind: App["kind"], extra: Partial<App> = {}): App => ({
  id,
  name: `${kind[0]?.toUpperCase()}${kind.slice(1)}`,
  kind,
  enabled: true,
  status: "published",
  access: { type: "all" },
  mode: "read_write",
  confirmWrites: false,
  ...extra,
});

export function baseSnapshot(): WorkspaceSnapshot {
  return {
    workspaceId: "ws-1",
    toggles: {
      codexLocal: true,
      codexCloud: true,
      githubConnector: true,
      codeReview: true,
      slackFullAnswers: false,
      linearFullAnswers: false,
      agentInternet: true,
      zeroDataRetention: false,
    },
    members: [
      {
        id: "alice",
        email: "alice@acme.test",
        status: "active",
        isOwner: false,
        groupIds: ["g-users"],
        identities: { slackUserId: "U-ALICE", githubLogin: "Alice-GH", linearUserId: "L-ALICE" },
      },
      {
        id: "bob",
        email: "bob@acme.test",
        status: "active",
        isOwner: false,
        groupIds: ["g-admins"],
        identities: { slackUserId: "U-BOB", githubLogin: "bob" },
      },
      {
        id: "carol",
        email: "carol@acme.test",
        status: "active",
        isOwner: false,
        groupIds: [],
        identities: {},
      },
      { id: "dave", email: "dave@acme.test", status: "active", isOwner: true, groupIds: [], identities: {} },
      {
        id: "erin",
        email: "erin@acme.test",
        status: "deactivated",
        isOwner: false,
        groupIds: ["g-users"],
        identities: { slackUserId: "U-ERIN", githubLogin: "erin" },
      },
      {
        id: "frank",
        email: "frank@acme.test",
        status: "active",
        isOwner: false,
        groupIds: ["g-users", "g-internet"],
        identities: { slackUserId: "U-FRANK", githubLogin: "frank" },
      },
      {
        id: "gina",
        email: "Gina@Acme.test",
        status: "active",
        isOwner: false,
        groupIds: ["g-users", "g-admins"],
        identities: { githubLogin: "gina" },
      },
    ],
    groups: [
      { id: "g-users", name: "Codex Users" },
      { id: "g-admins", name: "Codex Admin" },
      { id: "g-internet", name: "Internet" },
      { id: "g-empty", name: "Nobody" },
    ],
    roles: [
      { id: "r-users", name: "Codex user", permissions: ["codex_cloud", "codex_local"] },
      { id: "r-admin", name: "Codex admin", permissions: ["codex_admin"] },
      { id: "r-internet", name: "Internet", permissions: ["agent_internet"] },
      { id: "r-default", name: "Default", permissions: ["codex_local"] },
    ],
    roleAssignments: [
      { roleId: "r-users", groupId: "g-users" },
      { roleId: "r-admin", groupId: "g-admins" },
      { roleId: "r-internet", groupId: "g-internet" },
    ],
    defaultRoleId: "r-default",
    apps: [
      app("app-slack", "slack"),
      app("app-github", "github"),
      app("app-linear", "linear", {
        access: { type: "assigned", memberIds: [], groupIds: ["g-users"], roleIds: [] },
      }),
      app("app-crm", "custom", { name: "CRM" }),
    ],
    plugins: [
      {
        id: "p-sales",
        name: "Sales",
        enabled: true,
        skills: ["summarise-deal"],
        requiredAppIds: ["app-crm"],
        optionalAppIds: ["app-linear"],
        policyByRole: { "r-users": "installed", "r-admin": "none" },
        defaultPolicy: "none",
      },
    ],
    environments: [
      {
        id: "env-web",
        name: "web",
        description: "Web app",
        repository: "acme/web",
        visibility: "workspace",
        creatorId: "gina",
        collaboratorIds: ["alice"],
        internet: { mode: "allowlist", domains: ["registry.npmjs.org"], methods: ["GET", "HEAD"] },
      },
      {
        id: "env-secret",
        name: "secret",
        description: "Private experiments",
        repository: "acme/secret",
        visibility: "private",
        creatorId: "alice",
        collaboratorIds: ["frank"],
        internet: { mode: "off" },
      },
    ],
    policies: [
      { id: "pol-base", name: "Baseline", requirements: { allowed_sandbox_modes: ["workspace-write"] } },
      { id: "pol-admin", name: "Admins", requirements: { allowed_approval_policies: ["never"] } },
    ],
    policyAssignments: {
      rules: [{ groupId: "g-admins", policyId: "pol-admin" }],
      defaultPolicyId: "pol-base",
    },
  };
}

/** A request with sensible defaults: alice runs a task from Slack in env-web and GitHub says she can read. */
export function request(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return {
    actor: { memberId: "alice", platform: "slack" },
    surface: "slack",
    action: "task.run",
    environmentId: "env-web",
    repoPermission: "read",
    ...overrides,
  };
}

export const byId = <T extends { id: string }>(list: T[], id: string): T => {
  const found = list.find((item) => item.id === id);
  if (!found) throw new Error(`fixture has no ${id}`);
  return found;
};
