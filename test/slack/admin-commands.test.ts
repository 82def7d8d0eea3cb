import { beforeEach, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/outbox/worker";
import { COMMAND_USAGE } from "../../src/routing/slash-help";
import { adminClient } from "../admin/helpers";
import { useWorld, type World } from "../helpers/world";
import { MEMBERS, type Person, seedAcme, slackWorld, WS } from "./acme";
import { buttons, command, press } from "./requests";
import type { SlackFake } from "./slack-fake";

// The administration groups of `/codex` (env, policy, review filters, group, plugin) as admins use them: an
// allowed change is visible afterwards through the admin API or the explain API and leaves its audit record,
// a caller below the level is refused and changes nothing, and destructive changes wait for "Confirm".

let hub: World;
let fakes: SlackFake;
useWorld(
  (server) => slackWorld(server),
  (fresh) => ({ world: hub, fakes } = fresh),
);
let api: ReturnType<typeof adminClient>;
beforeEach(async () => {
  await seedAcme(hub, { agentInternet: true }, { linkSlack: true });
  api = adminClient(hub);
});

const settle = async () => {
  await hub.processor.drain();
  await deliverDue(hub.deps);
};
const answersAt = (url: string) => fakes.responses.filter((r) => r.url === url).map((r) => r.body);

/** Runs a command and returns its one ephemeral answer. */
async function run(text: string, user: Person) {
  const { res, responseUrl } = await command(hub, text, user);
  expect(res.status).toBe(200);
  await settle();
  const answers = answersAt(responseUrl);
  expect(answers).toHaveLength(1);
  expect(answers[0]!.response_type).toBe("ephemeral");
  return answers[0]!;
}
const say = async (text: string, user: Person) => String((await run(text, user)).text);

/** Runs a destructive command: checks it asks first and changed nothing, then confirms; returns the answer. */
async function confirmed(text: string, user: Person, unchanged: () => Promise<unknown>) {
  const before = await unchanged();
  const prompt = await run(text, user);
  expect(String(prompt.text)).toContain("asks you to confirm");
  expect(await unchanged()).toEqual(before);
  const [confirm] = buttons(prompt.blocks as unknown[]);
  expect(confirm!.action_id).toMatch(/^codex:confirm:/);
  const { responseUrl } = await press(hub, user, confirm!);
  await settle();
  return String(answersAt(responseUrl)[0]?.text);
}

/** Changes (not decisions) audited since `since` audit rows. */
const changesSince = (since: number) =>
  hub
    .audit()
    .slice(since)
    .filter((a) => !a.action.startsWith("decision."));
const refusal = (action = "decision.slack.command") => hub.audit(action).at(-1);

const env = async (id: string) => api.ok("GET", `/workspaces/${WS}/environments/${id}`);
const explainRun = (memberId: string, environmentId: string) =>
  api.ok("POST", "/access/explain", {
    workspaceId: WS,
    actor: { memberId, platform: "slack" },
    surface: "slack",
    action: "task.run",
    environmentId,
    repoPermission: "read",
  });

describe("/codex help", () => {
  it("lists the groups, one line each, and a group's commands on request", async () => {
    const help = await say("help", "U0OLGA");
    const lines = help.split("\n").filter((l) => l.startsWith("• "));
    for (const group of ["env", "policy", "review", "group", "plugin"])
      expect(help).toContain(`\`/codex help ${group}\``);
    expect(lines.length).toBeLessThanOrEqual(16);
    expect(help).not.toContain("env collaborators");

    const envHelp = await say("help env", "U0OLGA");
    for (const [kind, usage] of Object.entries(COMMAND_USAGE))
      expect(envHelp.includes(usage)).toBe(kind.startsWith("env."));
  });

  it("answers an unknown subcommand or a bad argument with what to type instead", async () => {
    const unknown = await say("env teleport web", "U0ADA");
    expect(unknown).toContain("Unknown `env teleport`");
    expect(unknown).toContain("`/codex env show <name>`");
    const bad = await say("env visibility web engineering", "U0ADA");
    expect(bad).toContain("there is no group visibility");
    expect(bad).toContain("/codex env collaborators");
    expect((await env("env_web")).visibility).toBe("workspace");
  });
});

describe("/codex env", () => {
  it("creates an environment, adds a collaborator and shows it, audited as the caller", async () => {
    const since = hub.audit().length;
    expect(await say("env create tools acme/tools", "U0ADA")).toContain("Created environment *tools*");
    const items = (await api.ok("GET", `/workspaces/${WS}/environments`)).items as any[];
    const tools = items.find((e) => e.name === "tools");
    expect(tools).toMatchObject({
      repository: "acme/tools",
      creatorId: MEMBERS.U0ADA,
      visibility: "workspace",
    });

    expect(await say("env collaborators tools add <@U0LEO|leo>", "U0ADA")).toContain(
      "Collaborators of tools: `none` → `leo@acme.test`",
    );
    expect((await env(tools.id)).collaboratorIds).toEqual([MEMBERS.U0LEO]);
    expect(changesSince(since).map((a) => [a.action, a.actor])).toEqual([
      ["environment.create", `member:${MEMBERS.U0ADA}`],
      ["environment.update", `member:${MEMBERS.U0ADA}`],
    ]);
    const shown = await say("env show tools", "U0MAX");
    expect(shown).toContain("Collaborators: leo@acme.test");
    expect(shown).toContain("Internet: off");
  });

  it("makes an environment private only once confirmed; the explain API then refuses others", async () => {
    expect((await explainRun(MEMBERS.U0MAX, "env_web")).code).not.toBe("ENV_NOT_VISIBLE");
    const answer = await confirmed(
      "env visibility web private",
      "U0OLGA",
      async () => (await env("env_web")).visibility,
    );
    expect(answer).toContain("Visibility of web: `everyone` → `private (creator and collaborators)`");
    expect((await env("env_web")).visibility).toBe("private");
    const explained = await explainRun(MEMBERS.U0MAX, "env_web");
    expect(explained).toMatchObject({ allowed: false, code: "ENV_NOT_VISIBLE" });
    expect(hub.audit("environment.update")).toHaveLength(1);
  });

  it("opens internet access to a preset once confirmed", async () => {
    const answer = await confirmed(
      "env internet api preset common-dependencies",
      "U0ADA",
      async () => (await env("env_api")).internet,
    );
    expect(answer).toContain(
      "Internet access of api: `off` → `allowlist preset common-dependencies; methods GET, HEAD, OPTIONS`",
    );
    expect((await env("env_api")).internet).toEqual({
      mode: "allowlist",
      domains: [],
      methods: ["GET", "HEAD", "OPTIONS"],
      presets: ["common-dependencies"],
    });
    // Turning it off takes nothing from anyone's safety: no confirmation.
    expect(await say("env internet api off", "U0ADA")).toContain("→ `off`");
    expect((await env("env_api")).internet).toEqual({ mode: "off" });
  });

  it("refuses a member who neither created nor collaborates on the environment, and records why", async () => {
    const answer = await say("env visibility web private", "U0MAX");
    expect(answer).toMatch(/^🚫/);
    expect((await env("env_web")).visibility).toBe("workspace");
    expect(refusal("decision.environment.edit")).toMatchObject({ code: "ENV_NOT_EDITABLE" });
    expect(hub.audit("environment.update")).toEqual([]);
    // A private environment stays unknown to those who cannot see it.
    expect(await say("env show secret", "U0MAX")).toContain("No environment named `secret`");
  });
});

describe("/codex policy", () => {
  beforeEach(async () => {
    await api.ok("POST", `/workspaces/${WS}/policies`, {
      name: "Strict",
      requirements: 'allowed_sandbox_modes = ["read-only"]\n',
    });
  });
  const lookup = async (email: string) =>
    (await api.ok("GET", `/policies/lookup?workspaceId=${WS}&email=${encodeURIComponent(email)}`)).policy
      ?.name ?? null;

  it("assigns a policy to a group once confirmed; the lookup API and /codex policy lookup agree", async () => {
    const answer = await confirmed("policy assign Strict Builders", "U0ADA", () => lookup("max@acme.test"));
    expect(answer).toContain("Managed policy group rules: `no group rules` → `Builders → Strict`");
    expect(await lookup("max@acme.test")).toBe("Strict");
    expect(await lookup("leo@acme.test")).toBeNull();
    expect(hub.audit("policy.assignments")).toMatchObject([{ actor: `member:${MEMBERS.U0ADA}` }]);
    const said = await say("policy lookup <@U0MAX|max>", "U0ADA");
    expect(said).toContain("Managed policy for max@acme.test: *Strict*");
    expect(await say("policy list", "U0ADA")).toContain("Builders → Strict");
  });

  it("sets the fallback once confirmed, and refuses members", async () => {
    expect(await say("policy fallback Strict", "U0MAX")).toContain("needs a Codex Admin");
    expect(refusal()).toMatchObject({ code: "NOT_CODEX_ADMIN" });
    expect(await lookup("leo@acme.test")).toBeNull();
    await confirmed("policy fallback Strict", "U0OLGA", () => lookup("leo@acme.test"));
    expect(await lookup("leo@acme.test")).toBe("Strict");
    expect(hub.audit("policy.assignments")).toHaveLength(1);
  });
});

describe("/codex review filters", () => {
  const settings = async () =>
    (await api.ok("GET", `/workspaces/${WS}/github/repositories/acme/web/review-settings`)).settings;

  it("changes a repository's filters, shown to members and through the admin API", async () => {
    expect(await say("review filters acme/web labels wip, skip-review", "U0ADA")).toContain(
      "Labels that skip a review of acme/web: `none` → `wip, skip-review`",
    );
    expect(await say("review filters acme/web priority P3", "U0ADA")).toContain("`P1` → `P3`");
    expect(await settings()).toMatchObject({ skipLabels: ["wip", "skip-review"], minPriority: 3 });
    expect(hub.audit("github.review_settings.update")).toHaveLength(2);
    const shown = await say("review filters acme/web", "U0MAX");
    expect(shown).toContain("Labels that skip a review: `wip`, `skip-review`");
    expect(shown).toContain("Lowest priority posted: P3");
    expect(await say("review filters", "U0MAX")).toContain("*acme/web*");
  });

  it("refuses members and asks before narrowing reviews to some branches", async () => {
    expect(await say("review filters acme/web drafts review", "U0MAX")).toContain("needs a Codex Admin");
    expect(refusal()).toMatchObject({ code: "NOT_CODEX_ADMIN" });
    expect((await settings()).skipDrafts).toBe(true);
    await confirmed(
      "review filters acme/web branches main, release/*",
      "U0ADA",
      async () => (await settings()).baseBranchGlobs,
    );
    expect((await settings()).baseBranchGlobs).toEqual(["main", "release/*"]);
  });
});

describe("/codex group", () => {
  const builders = async () =>
    ((await api.ok("GET", `/workspaces/${WS}/groups`)).items as any[]).find((g) => g.name === "Builders");
  const roleId = async (name: string) =>
    ((await api.ok("GET", `/workspaces/${WS}/roles`)).items as any[]).find((r) => r.name === name).id;

  it("lists and shows groups to Codex Admins", async () => {
    expect(await say("group list", "U0ADA")).toContain("*Builders*: 2 members; roles: Builder");
    expect(await say("group show Builders", "U0ADA")).toContain("Members (2): max@acme.test, nia@acme.test");
  });

  it("replaces a group's roles once confirmed; the explain API sees the new permission", async () => {
    const policyManage = () =>
      api.ok("POST", "/access/explain", {
        workspaceId: WS,
        actor: { memberId: MEMBERS.U0MAX, platform: "slack" },
        surface: "slack",
        action: "policy.manage",
      });
    expect((await policyManage()).allowed).toBe(false);
    const answer = await confirmed(
      "group roles Builders Builder, Codex Admin",
      "U0OLGA",
      async () => (await builders()).roleIds,
    );
    expect(answer).toContain("Roles of group Builders: `Builder` → `Codex Admin, Builder`");
    expect((await builders()).roleIds.sort()).toEqual(
      [await roleId("Builder"), await roleId("Codex Admin")].sort(),
    );
    expect((await policyManage()).allowed).toBe(true);
    const byOlga = hub.audit("role.assign").filter((a) => a.actor === `member:${MEMBERS.U0OLGA}`);
    expect(byOlga).toMatchObject([{ target: expect.any(String) }]);
  });

  it("keeps role assignment for owners", async () => {
    expect(await say("group roles Builders none", "U0ADA")).toContain("needs a workspace owner");
    expect(refusal()).toMatchObject({ code: "NOT_OWNER" });
    expect((await builders()).roleIds).toHaveLength(1);
  });
});

describe("/codex plugin", () => {
  let pluginId: string;
  beforeEach(async () => {
    pluginId = (await api.ok("POST", `/workspaces/${WS}/plugins`, { name: "Docs", skills: ["write-docs"] }))
      .id;
  });
  const plugin = () => api.ok("GET", `/workspaces/${WS}/plugins/${pluginId}`);
  const builderId = async () =>
    ((await api.ok("GET", `/workspaces/${WS}/roles`)).items as any[]).find((r) => r.name === "Builder").id;

  it("sets a role's policy at once, and asks before blocking", async () => {
    const since = hub.audit().length;
    expect(await say("plugin policy Docs Builder installed", "U0OLGA")).toContain(
      "Docs for Builder: `the default (available)` → `installed`",
    );
    expect((await plugin()).policyByRole).toEqual({ [await builderId()]: "installed" });
    expect(changesSince(since).map((a) => a.action)).toEqual(["plugin.update"]);
    await confirmed(
      "plugin policy Docs Builder blocked",
      "U0OLGA",
      async () => (await plugin()).policyByRole,
    );
    expect((await plugin()).policyByRole).toEqual({ [await builderId()]: "none" });
    expect(await say("plugin list", "U0MAX")).toContain("*Docs*: Builder blocked; everyone else available");
  });

  it("keeps plugin policies for owners", async () => {
    expect(await say("plugin policy Docs Builder available", "U0ADA")).toContain("needs a workspace owner");
    expect(refusal()).toMatchObject({ code: "NOT_OWNER" });
    expect((await plugin()).policyByRole).toEqual({});
  });
});
