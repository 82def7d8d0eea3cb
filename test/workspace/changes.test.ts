import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decide } from "../../src/access/decide";
import type { AccessRequest } from "../../src/access/types";
import { recordAudit } from "../../src/governance/audit";
import { sha256Hex } from "../../src/lib/crypto";
import { getSnapshot } from "../../src/workspace/snapshot";
import { adminClient, expectEnvelope } from "../admin/helpers";
import { createWorld, type World } from "../helpers/world";

// An admin change is validated, answered with the new state, audited with before → after, and seen by the
// very next access decision (the cached snapshot is invalidated).

let hub: World;
let api: ReturnType<typeof adminClient>;
let ws: string;
let ada: { id: string };
let env: { id: string };

beforeEach(async () => {
  hub = createWorld();
  api = adminClient(hub);
  ws = (await api.ok("POST", "/workspaces", { name: "Acme", ownerEmail: "owner@acme.test" })).id;
  await api.ok("PATCH", `/workspaces/${ws}/toggles`, { codexCloud: true, githubConnector: true });
  ada = await api.ok("POST", `/workspaces/${ws}/members`, { email: "Ada@Acme.test", displayName: "Ada" });
  const group = await api.ok("POST", `/workspaces/${ws}/groups`, {
    name: "Codex Users",
    memberIds: [ada.id],
  });
  const role = await api.ok("POST", `/workspaces/${ws}/roles`, {
    name: "Cloud",
    permissions: ["codex_cloud"],
  });
  await api.ok("PUT", `/workspaces/${ws}/roles/${role.id}/groups/${group.id}`);
  env = await api.ok("POST", `/workspaces/${ws}/environments`, {
    name: "widgets",
    repository: "acme/widgets",
    creatorId: ada.id,
  });
});
afterEach(() => hub.close());

const runTask = (memberId: string, extra: Partial<AccessRequest> = {}): AccessRequest => ({
  actor: { memberId, platform: "slack" },
  surface: "slack",
  action: "task.run",
  environmentId: env.id,
  repoPermission: "read",
  ...extra,
});
const decideNow = async (request: AccessRequest) => decide(request, await getSnapshot(hub.deps, ws));

describe("admin changes", () => {
  it("answers with the new state, audits before → after and changes the next decision at once", async () => {
    expect((await decideNow(runTask(ada.id))).code).toBe("ALLOWED");

    const res = await api.call("PATCH", `/workspaces/${ws}/toggles`, { codexCloud: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ codexCloud: false, githubConnector: true });
    expect((await decideNow(runTask(ada.id))).code).toBe("CLOUD_DISABLED");

    const audit = await api.ok("GET", `/workspaces/${ws}/audit?limit=1`);
    expect(audit.items[0]).toMatchObject({
      actor: "api_key:bootstrap",
      action: "toggles.update",
      before: { codexCloud: true },
      after: { codexCloud: false },
    });
  });

  it("takes access away when a member leaves the group that gave it, and back with the default role", async () => {
    const [group] = (await api.ok("GET", `/workspaces/${ws}/groups`)).items;
    const left = await api.ok("DELETE", `/workspaces/${ws}/groups/${group.id}/members/${ada.id}`);
    expect(left.memberIds).toEqual([]);
    expect((await decideNow(runTask(ada.id))).code).toBe("NO_ROLE_PERMISSION");

    const role = (await api.ok("GET", `/workspaces/${ws}/roles`)).items[0];
    expect(
      (await api.ok("PUT", `/workspaces/${ws}/default-role`, { defaultRoleId: role.id })).defaultRoleId,
    ).toBe(role.id);
    expect((await decideNow(runTask(ada.id))).code).toBe("ALLOWED");

    const audit = (await api.ok("GET", `/workspaces/${ws}/audit?limit=2`)).items;
    expect(audit.map((a: { action: string }) => a.action)).toEqual(["role.default", "group.members"]);
    expect(audit[1]).toMatchObject({ before: { memberIds: [ada.id] }, after: { memberIds: [] } });
  });

  it("deactivating a member ends their access and read-only apps block writes", async () => {
    await api.ok("PATCH", `/workspaces/${ws}/members/${ada.id}`, { status: "deactivated" });
    expect((await decideNow(runTask(ada.id))).code).toBe("MEMBER_DEACTIVATED");
    await api.ok("PATCH", `/workspaces/${ws}/members/${ada.id}`, { status: "active" });

    const slack = (await api.ok("GET", `/workspaces/${ws}/apps`)).items.find(
      (a: { kind: string }) => a.kind === "slack",
    );
    const changed = await api.ok("PATCH", `/workspaces/${ws}/apps/${slack.id}`, { mode: "read_only" });
    expect(changed.mode).toBe("read_only");
    const decision = await decideNow(runTask(ada.id, { action: "pr.open", repoPermission: "write" }));
    expect(decision.code).toBe("APP_READ_ONLY");
  });

  it("explains a request and reads back a stored decision with its trace", async () => {
    const explained = await api.ok("POST", "/access/explain", {
      workspaceId: ws,
      ...runTask(ada.id, { repoPermission: "none" }),
    });
    expect(explained).toMatchObject({ allowed: false, code: "REPO_NO_ACCESS" });
    expect(explained.trace.map((t: { check: string }) => t.check)).toContain("repository");

    const request = runTask(ada.id);
    const decision = await decideNow(request);
    const id = await recordAudit(hub.deps, {
      workspaceId: ws,
      actor: "slack:U1",
      action: "decision.task.run",
      decision,
      request,
    });
    const stored = await api.ok("GET", `/decisions/${id}`);
    expect(stored).toMatchObject({ id, decision: { code: "ALLOWED", trace: decision.trace }, request });

    const decisionsOnly = (await api.ok("GET", `/workspaces/${ws}/audit?decisions=true`)).items;
    expect(decisionsOnly.map((a: { id: string }) => a.id)).toEqual([id]);
    // An admin change is not a decision.
    const change = (await api.ok("GET", `/workspaces/${ws}/audit`)).items.find(
      (a: { decision: unknown }) => !a.decision,
    );
    expect(change.action).toBeTruthy();
    const notDecision = await api.call("GET", `/decisions/${change.id}`);
    expect(notDecision.status).toBe(404);
  });

  it("keeps one indexed snapshot per workspace until something changes", async () => {
    const first = await getSnapshot(hub.deps, ws);
    expect(await getSnapshot(hub.deps, ws)).toBe(first);
    await api.ok("PATCH", `/workspaces/${ws}/members/${ada.id}`, { displayName: "Ada L." });
    const second = await getSnapshot(hub.deps, ws);
    expect(second).not.toBe(first);
    expect(await getSnapshot(hub.deps, ws)).toBe(second);
  });

  it("refuses an internet allowlist unless the workspace allows agent internet", async () => {
    const internet = { mode: "allowlist", domains: ["registry.npmjs.org"], methods: ["GET"] };
    const refused = await api.call("PATCH", `/workspaces/${ws}/environments/${env.id}`, { internet });
    expect(refused.status).toBe(409);
    expectEnvelope(refused.body, "conflict");
    await api.ok("PATCH", `/workspaces/${ws}/toggles`, { agentInternet: true });
    expect(
      (await api.ok("PATCH", `/workspaces/${ws}/environments/${env.id}`, { internet })).internet,
    ).toEqual(internet);
  });

  it("stores API keys hashed, shows the key once and stops accepting it once revoked", async () => {
    const created = await api.ok("POST", "/api-keys", { name: "ci", scopes: ["admin"] });
    expect(created.key).toMatch(/^chub_/);
    const row = hub.database.sqlite.prepare("SELECT hash FROM api_keys WHERE id = ?").get(created.id) as {
      hash: string;
    };
    expect(row.hash).toBe(await sha256Hex(created.key));
    expect(JSON.stringify(await api.ok("GET", "/api-keys"))).not.toContain(created.key);

    const withKey = adminClient(hub, created.key);
    expect((await withKey.call("GET", `/workspaces/${ws}`)).status).toBe(200);
    await api.ok("DELETE", `/api-keys/${created.id}`);
    const after = await withKey.call("GET", `/workspaces/${ws}`);
    expect(after.status).toBe(401);
    expectEnvelope(after.body, "unauthorized");
  });

  it("validates references and keeps one member per email", async () => {
    const dup = await api.call("POST", `/workspaces/${ws}/members`, { email: "ada@acme.test" });
    expect(dup.status).toBe(409);
    const bad = await api.call("POST", `/workspaces/${ws}/groups`, { name: "x", memberIds: ["mem_nope"] });
    expect(bad.status).toBe(400);
    expectEnvelope(bad.body, "invalid_body");
    const unknown = await api.call("PATCH", `/workspaces/${ws}/members/mem_nope`, { displayName: "x" });
    expect(unknown.status).toBe(404);
  });

  it("maps a GitHub login for a member, and refuses a login already mapped to someone else", async () => {
    const mapped = await api.ok("PUT", `/workspaces/${ws}/members/${ada.id}/identities/github`, {
      id: "Ada-GH",
    });
    expect(mapped.identities).toEqual([
      { platform: "github", externalId: "ada-gh", display: "Ada-GH", source: "admin" },
    ]);
    const decision = decide(
      {
        ...runTask(""),
        actor: { memberId: null, platform: "github", platformUserId: "ada-gh" },
        surface: "github",
      },
      await getSnapshot(hub.deps, ws),
    );
    expect(decision.trace[0]).toMatchObject({ check: "actor", outcome: "pass" });

    const owner = (await api.ok("GET", `/workspaces/${ws}/owners`)).items[0];
    const clash = await api.call("PUT", `/workspaces/${ws}/members/${owner.id}/identities/github`, {
      id: "ada-gh",
    });
    expect(clash.status).toBe(409);
    const lastOwner = await api.call("DELETE", `/workspaces/${ws}/owners/${owner.id}`);
    expect(lastOwner.status).toBe(409);
  });
});

describe("managed policies", () => {
  it("reports unknown keys as warnings, rejects invalid documents and looks up the policy that applies", async () => {
    const created = await api.call("POST", `/workspaces/${ws}/policies`, {
      name: "Baseline",
      requirements: 'allowed_sandbox_modes = ["workspace-write"]\nallowed_sandbox_mode = ["read-only"]\n',
    });
    expect(created.status).toBe(201);
    expect(created.body.requirements).toEqual({ allowed_sandbox_modes: ["workspace-write"] });
    expect(created.body.warnings).toEqual([expect.stringContaining("allowed_sandbox_mode")]);

    const invalid = await api.call("POST", `/workspaces/${ws}/policies`, {
      name: "Bad",
      requirements: 'allowed_sandbox_modes = ["yolo"]',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.errors[0]).toContain("yolo");

    const strict = await api.ok("POST", `/workspaces/${ws}/policies`, {
      name: "Strict",
      requirements: 'allowed_approval_policies = ["untrusted"]',
    });
    const [group] = (await api.ok("GET", `/workspaces/${ws}/groups`)).items;
    await api.ok("PUT", `/workspaces/${ws}/policy-assignments`, {
      rules: [{ groupId: group.id, policyId: strict.id }],
      defaultPolicyId: created.body.id,
    });

    const forAda = await api.ok("GET", `/policies/lookup?workspaceId=${ws}&email=ADA@acme.test`);
    expect(forAda).toMatchObject({ source: "group_rule", policy: { id: strict.id }, groupId: group.id });
    const forOwner = await api.ok("GET", `/policies/lookup?workspaceId=${ws}&email=owner@acme.test`);
    expect(forOwner).toMatchObject({ source: "default", policy: { id: created.body.id } });
    const byName = await api.ok("GET", `/policies/lookup?workspaceId=${ws}&group=Codex%20Users`);
    expect(byName.policy.id).toBe(strict.id);
    const neither = await api.call("GET", `/policies/lookup?workspaceId=${ws}`);
    expect(neither.status).toBe(400);
  });
});
