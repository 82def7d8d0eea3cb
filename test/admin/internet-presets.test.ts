import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INTERNET_PRESETS } from "../../src/access/internet-presets";
import { resolveTaskEnvironment } from "../../src/tasks/environment";
import type { Task } from "../../src/tasks/types";
import { createWorld, type World } from "../helpers/world";
import { adminClient, expectEnvelope } from "./helpers";

// An environment's internet allowlist through the admin API: its own domains, named presets, and what the
// explanation and a task of a member then get.

let hub: World;
let api: ReturnType<typeof adminClient>;
let ws: string;
let ada: { id: string };
let roleId: string;

beforeEach(async () => {
  envCount = 0;
  hub = createWorld();
  api = adminClient(hub);
  ws = (await api.ok("POST", "/workspaces", { name: "Acme", ownerEmail: "owner@acme.test" })).id;
  await api.ok("PATCH", `/workspaces/${ws}/toggles`, {
    codexCloud: true,
    githubConnector: true,
    agentInternet: true,
  });
  ada = await api.ok("POST", `/workspaces/${ws}/members`, { email: "ada@acme.test" });
  const group = await api.ok("POST", `/workspaces/${ws}/groups`, { name: "Builders", memberIds: [ada.id] });
  roleId = (
    await api.ok("POST", `/workspaces/${ws}/roles`, {
      name: "Builders",
      permissions: ["codex_cloud", "agent_internet"],
    })
  ).id;
  await api.ok("PUT", `/workspaces/${ws}/roles/${roleId}/groups/${group.id}`);
});
afterEach(() => hub.close());

let envCount = 0;
const createEnv = (internet: unknown) =>
  api.call("POST", `/workspaces/${ws}/environments`, {
    name: envCount++ === 0 ? "web" : `web-${envCount}`,
    repository: "acme/web",
    creatorId: ada.id,
    internet,
  });

describe("internet presets", () => {
  it("lists the presets with their hosts", async () => {
    const { items } = await api.ok("GET", "/internet-presets");
    expect(items).toHaveLength(1);
    const [preset] = items;
    expect(preset).toMatchObject({ name: "common-dependencies", label: "Common dependencies" });
    for (const host of [
      "registry.npmjs.org",
      "pypi.org",
      "files.pythonhosted.org",
      "index.crates.io",
      "proxy.golang.org",
      "repo.maven.apache.org",
      "rubygems.org",
      "deb.debian.org",
      "archive.ubuntu.com",
      "github.com",
    ]) {
      expect(preset.domains).toContain(host);
    }
  });

  it("stores presets by name beside the domains; the explanation lists every host the agent may reach", async () => {
    const created = await createEnv({
      mode: "allowlist",
      domains: ["internal.acme.test"],
      methods: ["GET", "HEAD"],
      presets: ["common-dependencies"],
    });
    expect(created.status).toBe(201);
    expect(created.body.internet).toEqual({
      mode: "allowlist",
      domains: ["internal.acme.test"],
      methods: ["GET", "HEAD"],
      presets: ["common-dependencies"],
    });

    const explained = await api.ok("POST", "/access/explain", {
      workspaceId: ws,
      actor: { memberId: ada.id, platform: "slack" },
      surface: "slack",
      action: "task.run",
      environmentId: created.body.id,
      repoPermission: "read",
    });
    const presetHosts = INTERNET_PRESETS["common-dependencies"].domains;
    expect(explained.effective.internet).toMatchObject({
      presets: ["common-dependencies"],
      hosts: ["internal.acme.test", ...presetHosts],
    });
    const step = explained.trace.find((t: { check: string }) => t.check === "environment");
    expect(step.found).toContain(
      `allowlist of 1 domain(s) and the common-dependencies preset (${presetHosts.length} hosts); methods GET, HEAD`,
    );

    // A task of Ada's in this environment gets the allowlist with its preset, and the environment's name.
    const task = { workspaceId: ws, environmentId: created.body.id, requesterMemberId: ada.id, context: {} };
    expect(await resolveTaskEnvironment(hub.deps, task as unknown as Task)).toMatchObject({
      name: "web",
      internet: { presets: ["common-dependencies"] },
    });
  });

  it("accepts a preset alone, localhost and IP addresses; refuses an empty allowlist and unknown presets", async () => {
    const presetOnly = await createEnv({
      mode: "allowlist",
      domains: [],
      methods: ["GET"],
      presets: ["common-dependencies"],
    });
    expect(presetOnly.status).toBe(201);
    const local = await createEnv({
      mode: "allowlist",
      domains: ["localhost", "127.0.0.1", "::1"],
      methods: ["GET"],
    });
    expect(local.status).toBe(201);

    const empty = await createEnv({ mode: "allowlist", domains: [], methods: ["GET"] });
    expect(empty.status).toBe(400);
    expectEnvelope(empty.body, "invalid_body");
    expect(JSON.stringify(empty.body)).toContain("an allowlist needs at least one domain or preset");
    const unknown = await createEnv({
      mode: "allowlist",
      domains: [],
      methods: ["GET"],
      presets: ["everything"],
    });
    expect(unknown.status).toBe(400);
    const wildcardIp = await createEnv({ mode: "allowlist", domains: ["*.127.0.0.1"], methods: ["GET"] });
    expect(wildcardIp.status).toBe(400);
  });

  it("gives a task no internet, with the reason, where the requester lacks agent_internet", async () => {
    const created = await createEnv({
      mode: "allowlist",
      domains: [],
      methods: ["GET"],
      presets: ["common-dependencies"],
    });
    await api.ok("PATCH", `/workspaces/${ws}/roles/${roleId}`, { permissions: ["codex_cloud"] });
    const task = { workspaceId: ws, environmentId: created.body.id, requesterMemberId: ada.id, context: {} };
    expect(await resolveTaskEnvironment(hub.deps, task as unknown as Task)).toMatchObject({
      internet: { mode: "off" },
      internetReason: "the member lacks agent_internet",
    });
  });
});
