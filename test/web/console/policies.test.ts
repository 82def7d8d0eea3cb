import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import { consolePeople } from "./people";

let hub: World;
afterEach(() => hub?.close());

async function api(method: string, path: string, body?: unknown) {
  const res = await hub.request(`/api/v1/workspaces/${LOCAL_WORKSPACE_ID}${path}`, {
    method,
    headers: { ...hub.adminHeaders, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json() as Promise<any>;
}

const policies = async () =>
  (await api("GET", "/policies")).items as { id: string; name: string; source: string }[];
const assignments = () => api("GET", "/policy-assignments");

async function audit(action: string) {
  const { items } = await api("GET", "/audit?limit=500");
  return (items as { action: string; actor: string; target: string }[]).filter((r) => r.action === action);
}

const BASELINE = 'allowed_sandbox_modes = ["workspace-write"]\n';

describe("the policies page", () => {
  it("opens for owners and Codex Admins, and refuses members (a 403 page, nothing saved)", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    for (const who of ["owner", "admin"] as const) {
      const res = await people[who].get("/policies");
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("Group assignment");
      expect(html).toContain("Create policy");
    }
    const token = await people.member.formFields("/");
    const refused = await people.member.post("/policies", { ...token, name: "Mine", requirements: BASELINE });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Only workspace owners and Codex Admins");
    expect(await policies()).toEqual([]);
  });

  it("creates a policy from the editor, audited with the Codex Admin as actor", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const res = await people.admin.post("/policies", {
      ...(await people.admin.formFields("/policies")),
      name: "Baseline",
      requirements: BASELINE,
    });
    expect(res.status).toBe(303);
    const [created] = await policies();
    expect(created).toMatchObject({ name: "Baseline", source: BASELINE });
    expect(res.headers.get("location")).toBe(`/policies/${created?.id}?saved=1`);
    const [record] = await audit("policy.create");
    expect(record).toMatchObject({ actor: `member:${people.ids.adminId}`, target: created?.id });
  });

  it("shows a TOML syntax error with its line, keeps the document and saves nothing", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const broken = 'allowed_sandbox_modes = ["workspace-write"]\nallowed_approval_policies = [\n';
    const res = await people.owner.post("/policies", {
      ...(await people.owner.formFields("/policies")),
      name: "Broken",
      requirements: broken,
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("requirements.toml is not valid.");
    expect(html).toMatch(/requirements.toml is not valid TOML at line \d+, column \d+/);
    expect(html).toContain("allowed_approval_policies = [");
    expect(html).toContain('value="Broken"');
    expect(await policies()).toEqual([]);
    const wrongValue = await people.owner.post("/policies", {
      ...(await people.owner.formFields("/policies")),
      name: "Wrong",
      requirements: 'allowed_sandbox_modes = ["anything-goes"]',
    });
    expect(wrongValue.status).toBe(400);
    expect(await wrongValue.text()).toContain("is not a valid sandbox mode");
    expect(await policies()).toEqual([]);
  });

  it("reports unknown keys back on the policy's page", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const res = await people.admin.post("/policies", {
      ...(await people.admin.formFields("/policies")),
      name: "Typo",
      requirements: 'allowed_sandbox_mode = ["read-only"]\n',
    });
    expect(res.status).toBe(303);
    const html = await (await people.admin.get(res.headers.get("location") ?? "")).text();
    expect(html).toContain("unknown key `allowed_sandbox_mode` was ignored");
  });

  it("edits and deletes a policy, each change audited", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const policy = await api("POST", "/policies", { name: "Baseline", requirements: BASELINE });
    const fields = await people.owner.formFields(`/policies/${policy.id}`);
    const edited = await people.owner.post(`/policies/${policy.id}`, {
      ...fields,
      name: "Baseline v2",
      requirements: BASELINE,
    });
    expect(edited.status).toBe(303);
    expect((await policies())[0]?.name).toBe("Baseline v2");
    const deleted = await people.owner.post(`/policies/${policy.id}/delete`, fields);
    expect(deleted.status).toBe(303);
    expect(await policies()).toEqual([]);
    const owner = "member:mem_local_owner";
    expect((await audit("policy.update"))[0]?.actor).toBe(owner);
    expect((await audit("policy.delete"))[0]?.actor).toBe(owner);
  });

  it("saves the ordered group assignment with a default, reorders with the up button, and looks up", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const strict = await api("POST", "/policies", { name: "Strict", requirements: BASELINE });
    const open = await api("POST", "/policies", { name: "Open", requirements: "" });
    const everyone = await api("POST", "/groups", { name: "Everyone", memberIds: [people.ids.adminId] });
    const fields = await people.admin.formFields("/policies");
    const first = await people.admin.post("/policies/assignments", {
      ...fields,
      new_group: everyone.id,
      new_policy: open.id,
      default_policy: strict.id,
    });
    expect(first.status).toBe(303);
    await people.admin.post("/policies/assignments", {
      ...fields,
      rule_0_group: everyone.id,
      rule_0_policy: open.id,
      rule_0_position: "1",
      new_group: people.ids.adminGroupId,
      new_policy: strict.id,
      default_policy: strict.id,
    });
    // Ada is in both groups: the first rule (Everyone → Open) decides.
    let found = await (await people.admin.get("/policies?lookup=ada%40example.com")).text();
    expect(found).toContain("Policy: Open");
    const moved = await people.admin.post("/policies/assignments", {
      ...fields,
      rule_0_group: everyone.id,
      rule_0_policy: open.id,
      rule_0_position: "1",
      rule_1_group: people.ids.adminGroupId,
      rule_1_policy: strict.id,
      rule_1_position: "2",
      default_policy: strict.id,
      move: "up:1",
    });
    expect(moved.status).toBe(303);
    expect(await assignments()).toEqual({
      rules: [
        { groupId: people.ids.adminGroupId, policyId: strict.id },
        { groupId: everyone.id, policyId: open.id },
      ],
      defaultPolicyId: strict.id,
    });
    found = await (await people.admin.get("/policies?lookup=ada%40example.com")).text();
    expect(found).toContain("Policy: Strict");
    const byGroup = await (await people.admin.get("/policies?lookup=Everyone")).text();
    expect(byGroup).toContain("Policy: Open");
    const records = await audit("policy.assignments");
    expect(records).toHaveLength(3);
    expect(new Set(records.map((r) => r.actor))).toEqual(new Set([`member:${people.ids.adminId}`]));
  });

  it("refuses a position that is not a number, keeping the rules as they were", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const strict = await api("POST", "/policies", { name: "Strict", requirements: BASELINE });
    const res = await people.admin.post("/policies/assignments", {
      ...(await people.admin.formFields("/policies")),
      rule_0_group: people.ids.adminGroupId,
      rule_0_policy: strict.id,
      rule_0_position: "first",
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Position of rule 1: must be a whole number");
    expect(await assignments()).toEqual({ rules: [], defaultPolicyId: null });
  });

  it("refuses every form without the page's token and changes nothing", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const policy = await api("POST", "/policies", { name: "Baseline", requirements: BASELINE });
    const paths = [
      "/policies",
      `/policies/${policy.id}`,
      `/policies/${policy.id}/delete`,
      "/policies/assignments",
    ];
    for (const path of paths) {
      const res = await people.admin.post(path, {
        name: "Changed",
        requirements: "",
        default_policy: policy.id,
      });
      expect(res.status).toBe(403);
    }
    expect((await policies()).map((p) => p.name)).toEqual(["Baseline"]);
    expect((await assignments()).defaultPolicyId).toBeNull();
  });
});
