// Decision table, part 2: apps (enabled, published, assigned, read-only, confirmation) and plugins.
import { byId } from "./fixture";
import { type Row, runTable, viaApi } from "./table";

const apps: Row[] = [
  {
    name: "Slack app disabled",
    req: {},
    code: "APP_DISABLED",
    setup: (s) => {
      byId(s.apps, "app-slack").enabled = false;
    },
  },
  {
    name: "Slack app missing",
    req: {},
    code: "APP_DISABLED",
    setup: (s) => {
      s.apps = s.apps.filter((a) => a.kind !== "slack");
    },
  },
  {
    name: "Slack app still a draft",
    req: {},
    code: "APP_NOT_PUBLISHED",
    setup: (s) => {
      byId(s.apps, "app-slack").status = "draft";
    },
  },
  {
    name: "Linear app assigned to member's group",
    req: { surface: "linear", actor: { memberId: "alice", platform: "linear" } },
    code: "ALLOWED",
  },
  {
    name: "Linear app not assigned to the member",
    req: { surface: "linear", actor: { memberId: "bob", platform: "linear" }, action: "analytics.read" },
    code: "APP_NOT_ASSIGNED",
  },
  {
    name: "app assigned through a role",
    req: { surface: "linear", actor: { memberId: "bob", platform: "linear" }, action: "analytics.read" },
    code: "ALLOWED",
    setup: (s) => {
      byId(s.apps, "app-linear").access = {
        type: "assigned",
        memberIds: [],
        groupIds: [],
        roleIds: ["r-admin"],
      };
    },
  },
  {
    name: "app assigned directly to the member",
    req: { surface: "linear", actor: { memberId: "bob", platform: "linear" }, action: "analytics.read" },
    code: "ALLOWED",
    setup: (s) => {
      byId(s.apps, "app-linear").access = { type: "assigned", memberIds: ["bob"], groupIds: [], roleIds: [] };
    },
  },
  {
    name: "owner still needs the app assigned",
    req: { surface: "linear", actor: { memberId: "dave", platform: "linear" }, action: "analytics.read" },
    code: "APP_NOT_ASSIGNED",
  },
  {
    name: "read-only GitHub app blocks opening a PR",
    req: { surface: "github", action: "pr.open", repoPermission: "write" },
    code: "APP_READ_ONLY",
    setup: (s) => {
      byId(s.apps, "app-github").mode = "read_only";
    },
  },
  {
    name: "read-only GitHub app still reviews",
    req: { surface: "github", action: "review.request" },
    code: "ALLOWED",
    setup: (s) => {
      byId(s.apps, "app-github").mode = "read_only";
    },
  },
  {
    name: "PR asked from Slack goes through the read-only GitHub app",
    req: { action: "pr.open", repoPermission: "write" },
    code: "APP_READ_ONLY",
    setup: (s) => {
      byId(s.apps, "app-github").mode = "read_only";
    },
  },
  {
    name: "PR asked from Slack needs the GitHub app assigned",
    req: { action: "pr.open", repoPermission: "write" },
    code: "APP_NOT_ASSIGNED",
    setup: (s) => {
      byId(s.apps, "app-github").access = {
        type: "assigned",
        memberIds: [],
        groupIds: ["g-admins"],
        roleIds: [],
      };
    },
  },
  {
    name: "PR asked through the web still needs the GitHub app",
    req: viaApi("alice", { surface: "web", action: "pr.open", repoPermission: "write" }),
    code: "APP_DISABLED",
    setup: (s) => {
      byId(s.apps, "app-github").enabled = false;
    },
  },
  {
    name: "read-only Slack app blocks settings changes through it",
    req: { actor: { memberId: "dave", platform: "slack" }, action: "settings.change" },
    code: "APP_READ_ONLY",
    setup: (s) => {
      byId(s.apps, "app-slack").mode = "read_only";
    },
  },
  {
    name: "admin API goes through no app",
    req: viaApi("dave", { action: "settings.change" }),
    code: "ALLOWED",
    setup: (s) => {
      byId(s.apps, "app-slack").enabled = false;
    },
  },
  {
    name: "confirmation required before a write",
    req: { action: "pr.open", repoPermission: "write" },
    code: "CONFIRMATION_REQUIRED",
    setup: (s) => {
      byId(s.apps, "app-slack").confirmWrites = true;
    },
  },
  {
    name: "confirmed write goes ahead",
    req: { action: "pr.open", repoPermission: "write", confirmed: true },
    code: "ALLOWED",
    setup: (s) => {
      byId(s.apps, "app-slack").confirmWrites = true;
    },
  },
  {
    name: "reads need no confirmation",
    req: {},
    code: "ALLOWED",
    setup: (s) => {
      byId(s.apps, "app-slack").confirmWrites = true;
    },
  },
  {
    name: "no confirmation asked for a write that is refused",
    req: { action: "pr.open", repoPermission: "read" },
    code: "REPO_NO_WRITE",
    setup: (s) => {
      byId(s.apps, "app-slack").confirmWrites = true;
    },
  },
];

const plugins: Row[] = [
  { name: "plugin installed for the member's role", req: { pluginId: "p-sales" }, code: "ALLOWED" },
  {
    name: "plugin policy none for every role of the member",
    req: viaApi("bob", { action: "analytics.read", pluginId: "p-sales" }),
    code: "PLUGIN_UNAVAILABLE",
  },
  {
    name: "plugin's required app disabled",
    req: { pluginId: "p-sales" },
    code: "PLUGIN_UNAVAILABLE",
    setup: (s) => {
      byId(s.apps, "app-crm").enabled = false;
    },
  },
  {
    name: "plugin's required app not assigned to the member",
    req: { pluginId: "p-sales" },
    code: "PLUGIN_UNAVAILABLE",
    setup: (s) => {
      byId(s.apps, "app-crm").access = { type: "assigned", memberIds: ["bob"], groupIds: [], roleIds: [] };
    },
  },
  {
    name: "plugin's optional app disabled does not matter",
    req: { pluginId: "p-sales" },
    code: "ALLOWED",
    setup: (s) => {
      byId(s.apps, "app-linear").enabled = false;
    },
  },
  {
    name: "plugin disabled",
    req: { pluginId: "p-sales" },
    code: "PLUGIN_UNAVAILABLE",
    setup: (s) => {
      byId(s.plugins, "p-sales").enabled = false;
    },
  },
  { name: "unknown plugin", req: { pluginId: "p-nope" }, code: "PLUGIN_UNAVAILABLE" },
  {
    name: "plugin never widens access",
    req: { actor: { memberId: "bob", platform: "slack" }, pluginId: "p-sales" },
    code: "NO_ROLE_PERMISSION",
    setup: (s) => {
      byId(s.plugins, "p-sales").policyByRole["r-admin"] = "installed";
    },
  },
];

runTable("apps", apps);
runTable("plugins", plugins);
