import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HttpResponse, http } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/outbox/worker";
import { checkoutWorkspace } from "../../src/runtime/executors/checkout-workspace";
import { createCodexExecutor } from "../../src/runtime/executors/codex";
import { createCommandExecutor } from "../../src/runtime/executors/command";
import type { Executor } from "../../src/tasks/executors/types";
import { listTaskEvents } from "../../src/tasks/service";
import { fakeCodexWorld, repositoryWith } from "../helpers/git-fixtures";
import { useMockServer } from "../helpers/mock-server";
import { sessionCookieFor } from "../helpers/sign-in";
import type { World } from "../helpers/world";
import { seedAcme, slackWorld, WS } from "../slack/acme";
import { BOT, mention } from "../slack/requests";

// Plugins, skills and Team Config reach the task: Max (a Builder) asks Codex in Slack; his role installs the
// Release helper plugin (its skills reach the agent) and the Sales plugin, whose required CRM app is open to
// Codex Admins only, so Sales is left out and the task says why. acme/web's `.codex/` (config, rules, skills)
// is read from the checkout, and Max's managed policy wins over it where they disagree.

const server = useMockServer();
const root = mkdtempSync(join(tmpdir(), "hub-team-config-"));
const RUNNER = "https://runner.test/tasks";
let remote = "";
let codexBin = "";
let hub: World;

const TEAM_CONFIG = [
  'model = "gpt-5-codex"',
  'sandbox_mode = "danger-full-access"',
  "[sandbox_workspace_write]",
  "network_access = true",
].join("\n");

beforeAll(() => {
  remote = repositoryWith(root, "web", {
    "README.md": "# Web\n",
    ".codex/config.toml": `${TEAM_CONFIG}\n`,
    ".codex/rules/default.rules": 'prefix_rule(pattern = ["npm", "publish"], decision = "forbidden")\n',
    ".codex/skills/deploy/SKILL.md":
      "---\nname: deploy\ndescription: Deploy the web app\n---\n\nRun make deploy.\n",
  });
  ({ codexBin } = fakeCodexWorld(root, "unused"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(async () => {
  await hub?.taskRunner.shutdown();
  hub?.close();
});

const STRICT = [
  'allowed_sandbox_modes = ["read-only", "workspace-write"]',
  "[rules]",
  'prefix_rules = [{ pattern = [{ token = "git" }, { token = "push" }], decision = "forbidden" }]',
].join("\n");

async function json(res: Response) {
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json() as Promise<any>;
}

/** Acme as seeded, plus the CRM app, two plugins installed for Builders and the Strict policy for them. */
async function seedPlugins(world: World) {
  await seedAcme(world);
  const roles = (await json(await world.admin(`/workspaces/${WS}/roles`))).items as any[];
  const groups = (await json(await world.admin(`/workspaces/${WS}/groups`))).items as any[];
  const builder = roles.find((r) => r.name === "Builder").id;
  const admin = roles.find((r) => r.name === "Codex Admin").id;
  const builders = groups.find((g) => g.name === "Builders").id;
  const crm = await json(
    await world.admin(`/workspaces/${WS}/apps`, {
      method: "POST",
      body: JSON.stringify({
        kind: "custom",
        name: "CRM",
        status: "published",
        access: { type: "assigned", roleIds: [admin] },
      }),
    }),
  );
  const plugin = async (body: object) =>
    json(await world.admin(`/workspaces/${WS}/plugins`, { method: "POST", body: JSON.stringify(body) }));
  await plugin({
    name: "Release helper",
    skills: ["Write release notes\nList every merged change under its heading."],
    policyByRole: { [builder]: "installed" },
    defaultPolicy: "none",
  });
  await plugin({
    name: "Sales",
    skills: ["Summarise a deal"],
    requiredAppIds: [crm.id],
    policyByRole: { [builder]: "installed" },
    defaultPolicy: "none",
  });
  // Available only: Max may install it himself, so it is not part of his tasks.
  await plugin({ name: "Docs", skills: ["Check links"], defaultPolicy: "available" });
  const policy = await json(
    await world.admin(`/workspaces/${WS}/policies`, {
      method: "POST",
      body: JSON.stringify({ name: "Strict", requirements: STRICT }),
    }),
  );
  await json(
    await world.admin(`/workspaces/${WS}/policy-assignments`, {
      method: "PUT",
      body: JSON.stringify({ rules: [{ groupId: builders, policyId: policy.id }], defaultPolicyId: null }),
    }),
  );
}

/** Max asks in Slack (a signed event); the hub processes it and runs the task to its end. */
async function maxAsks(world: World) {
  await mention(world, { user: "U0MAX", text: `<@${BOT}> fix the flaky test in acme/web` });
  await world.process();
  await deliverDue(world.deps);
  await world.taskRunner.drain();
  await world.settle();
  const [task] = world.tasks();
  return task!;
}

/** The task's progress lines, in order. */
async function progress(world: World, taskId: string): Promise<string[]> {
  return (await listTaskEvents(world.deps, taskId)).map((e) => e.text);
}

function commandExecutor(): Executor {
  // The agent shows what it was given: the skill files, and the Team Config document.
  const script = [
    'printf "cwd-config:%s\\n" "$(head -n 1 .codex/config.toml)"',
    'printf "skills:\\n"',
    '(cd "$HUB_SKILLS_DIR" && find . -name SKILL.md | sort)',
    'printf "team-config:\\n"',
    'cat "$HUB_TEAM_CONFIG"',
  ].join("; ");
  return createCommandExecutor({
    command: script,
    env: { PATH: process.env.PATH ?? "", HOME: root },
    workspace: checkoutWorkspace({
      env: { PATH: process.env.PATH ?? "", HOME: root },
      repositoryUrl: () => remote,
      getRepoToken: async () => null,
      workRoot: root,
    }),
  });
}

describe("plugins, skills and Team Config", () => {
  it("reach the command executor's agent from a signed Slack event; the policy wins over Team Config", async () => {
    ({ world: hub } = slackWorld(server, { executor: commandExecutor() }));
    await seedPlugins(hub);
    const task = await maxAsks(hub);
    expect(task.status, task.error ?? "").toBe("completed");

    // What the task got, stored on it: explainable after the fact.
    const context = JSON.parse(task.context);
    expect(context.plugins.installed.map((p: any) => p.name)).toEqual(["Release helper"]);
    expect(context.plugins.leftOut).toEqual([
      expect.objectContaining({ name: "Sales", reason: "needs app CRM, not enabled for your role" }),
    ]);

    // The agent worked in a checkout of the repository and found the skills and the merged Team Config.
    const answer = task.answer!;
    expect(answer).toContain('cwd-config:model = "gpt-5-codex"');
    const [, skills, teamConfig] = /skills:\n([\s\S]*?)team-config:\n([\s\S]*)$/.exec(answer)!;
    expect(skills!.trim().split("\n")).toEqual([
      "./release-helper/write-release-notes/SKILL.md",
      "./team/deploy/SKILL.md",
    ]);
    const document = JSON.parse(teamConfig!);
    expect(document.config).toEqual({
      model: "gpt-5-codex",
      sandbox_mode: "workspace-write",
      sandbox_workspace_write: { network_access: false },
    });
    expect(document.overridden.map((o: any) => [o.key, o.team, o.effective, o.by])).toEqual([
      ["sandbox_mode", "danger-full-access", "workspace-write", "policy"],
      ["sandbox_workspace_write.network_access", true, false, "policy"],
    ]);
    expect(document.rules).toEqual([
      {
        path: "default.rules",
        content: 'prefix_rule(pattern = ["npm", "publish"], decision = "forbidden")\n',
      },
    ]);
    expect(document.policyRules).toContain('prefix_rule(pattern = ["git", "push"], decision = "forbidden")');

    // The task's progress says what it ran with and which Team Config values the policy replaced.
    const lines = await progress(hub, task.id);
    expect(lines).toContain(
      "Plugins: Release helper (1 skill). Left out: Sales (needs app CRM, not enabled for your role).",
    );
    expect(lines).toContain(
      "Team Config from the repository: .codex/config.toml, 1 rule file(s), 1 skill file(s).",
    );
    expect(lines.find((l) => l.startsWith("Team Config values overridden:"))).toContain(
      'sandbox_mode = "danger-full-access" → "workspace-write" (managed policy Strict allows only read-only, workspace-write)',
    );

    // The task page shows the plugins and the one left out, with why.
    const cookie = await sessionCookieFor(hub.deps, { provider: "slack", subject: "max@acme.test" });
    const page = await hub.request(`/tasks/${task.id}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(
      /<dt>Plugins<\/dt><dd id="task-plugins">Release helper \(skills: Write release notes\)<\/dd>/,
    );
    expect(html).toContain(
      '<dt>Left out</dt><dd id="task-plugins-left-out">Sales (needs app CRM, not enabled for your role)</dd>',
    );
  });

  it("reach the codex executor as CODEX_HOME skills and rules, and config overrides the policy shaped", async () => {
    const log = join(root, "codex-log.jsonl");
    const executor = createCodexExecutor({
      codexPath: codexBin,
      env: { PATH: process.env.PATH ?? "", HOME: root, FAKE_CODEX_SCENARIO: "answer", FAKE_CODEX_LOG: log },
      workRoot: root,
      repositoryUrl: () => remote,
      getRepoToken: async () => null,
    });
    ({ world: hub } = slackWorld(server, { executor }));
    await seedPlugins(hub);
    const task = await maxAsks(hub);
    expect(task.status, task.error ?? "").toBe("completed");

    const [run] = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(run.codexHome).toMatch(/codex-home$/);
    expect(run.skills).toEqual(["release-helper/write-release-notes/SKILL.md", "team/deploy/SKILL.md"]);
    expect(run.rules).toEqual(["default.rules", "managed-policy.rules"]);
    const configs = run.args.flatMap((a: string, i: number) => (run.args[i - 1] === "--config" ? [a] : []));
    expect(configs).toEqual(
      expect.arrayContaining([
        'model="gpt-5-codex"',
        'sandbox_mode="workspace-write"',
        "sandbox_workspace_write.network_access=false",
      ]),
    );
    expect(configs).not.toContain('sandbox_mode="danger-full-access"');
    expect(run.args[run.args.indexOf("--sandbox") + 1]).toBe("workspace-write");
    expect(existsSync(run.codexHome)).toBe(false); // removed with the checkout once the task finished
    const lines = await progress(hub, task.id);
    expect(lines.some((l) => l.startsWith("Team Config values overridden: sandbox_mode"))).toBe(true);
  });

  it("reach the http runner in its request: skill files, plugins left out, and the Team Config limits", async () => {
    const bodies: any[] = [];
    server.use(
      http.post(RUNNER, async ({ request }) => {
        bodies.push(await request.json());
        return new HttpResponse(null, { status: 202 });
      }),
    );
    ({ world: hub } = slackWorld(server, { env: { HUB_EXECUTOR: "http", HUB_EXECUTOR_URL: RUNNER } }));
    await seedPlugins(hub);
    await maxAsks(hub);
    const [body] = bodies;
    expect(body.skills).toEqual([
      {
        plugin: { id: expect.any(String), name: "Release helper" },
        name: "write-release-notes",
        path: "release-helper/write-release-notes/SKILL.md",
        content: expect.stringMatching(
          /^---\nname: "write-release-notes"\ndescription: "Write release notes \(from the Release helper plugin\)"\n---\n\nWrite release notes\nList every merged change/,
        ),
      },
    ]);
    expect(body.plugins.leftOut).toEqual([
      expect.objectContaining({ name: "Sales", reason: "needs app CRM, not enabled for your role" }),
    ]);
    expect(body.teamConfig).toEqual({
      paths: { config: ".codex/config.toml", rules: ".codex/rules/", skills: ".codex/skills/" },
      limits: {
        sandboxMode: "workspace-write",
        network: false,
        networkReason: expect.any(String),
        requirements: expect.objectContaining({ allowed_sandbox_modes: ["read-only", "workspace-write"] }),
        policyName: "Strict",
      },
    });
    const [task] = hub.tasks();
    expect(await progress(hub, task!.id)).toContain(
      "Plugins: Release helper (1 skill). Left out: Sales (needs app CRM, not enabled for your role).",
    );
    // The prompt is the request and its context, not the plugin bookkeeping.
    expect(body.input).not.toContain("Release helper");
  });
});
