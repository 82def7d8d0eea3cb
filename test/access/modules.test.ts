import { describe, expect, it } from "vitest";
import { isAppUsableBy } from "../../src/access/apps";
import { effectiveInternet, environmentAccess, repoAllows } from "../../src/access/environments";
import { pluginStatusFor } from "../../src/access/plugins";
import { effectiveRbac } from "../../src/access/rbac";
import { baseSnapshot, byId } from "./fixture";

// The building blocks admin views call directly (e.g. "which plugins does this member get?").

describe("rbac", () => {
  it("unions the roles of every group and ignores assignments to deleted roles", () => {
    const s = baseSnapshot();
    s.roleAssignments.push({ groupId: "g-users", roleId: "r-deleted" });
    expect(effectiveRbac(s, "gina")).toEqual({
      roleIds: ["r-users", "r-admin"],
      usesDefaultRole: false,
      permissions: ["codex_local", "codex_cloud", "codex_admin"],
    });
    expect(effectiveRbac(s, "nobody")).toBeUndefined();
  });

  it("a group whose only role was deleted gives no custom role, so the default applies", () => {
    const s = baseSnapshot();
    s.roles = s.roles.filter((r) => r.id !== "r-admin");
    expect(effectiveRbac(s, "bob")).toMatchObject({ roleIds: ["r-default"], usesDefaultRole: true });
  });
});

describe("apps", () => {
  const s = baseSnapshot();
  const linear = byId(s.apps, "app-linear");
  it("is usable through a group, not otherwise", () => {
    expect(isAppUsableBy(linear, { id: "alice", groupIds: ["g-users"], roleIds: ["r-users"] })).toBe(true);
    expect(isAppUsableBy(linear, { id: "bob", groupIds: ["g-admins"], roleIds: ["r-admin"] })).toBe(false);
    expect(
      isAppUsableBy({ ...linear, status: "draft" }, { id: "alice", groupIds: ["g-users"], roleIds: [] }),
    ).toBe(false);
  });
});

describe("plugins", () => {
  const s = baseSnapshot();
  const plugin = byId(s.plugins, "p-sales");
  it("takes the most generous policy across the member's roles", () => {
    const status = pluginStatusFor(plugin, ["r-admin", "r-users"], () => true);
    expect(status.status).toBe("installed");
  });
  it("uses the plugin's default policy for roles it does not list", () => {
    expect(pluginStatusFor({ ...plugin, defaultPolicy: "available" }, ["r-default"], () => true).status).toBe(
      "available",
    );
    expect(pluginStatusFor(plugin, ["r-default"], () => true).status).toBe("none");
  });
  it("is unavailable while a required app is not usable, and names it", () => {
    const status = pluginStatusFor(plugin, ["r-users"], (appId) => appId !== "app-crm");
    expect(status).toMatchObject({ status: "none", missingAppIds: ["app-crm"] });
  });
});

describe("environments", () => {
  const env = byId(baseSnapshot().environments, "env-web");
  it("grants internet only with the workspace switch and agent_internet", () => {
    const has = (p: string) => p === "agent_internet";
    expect(effectiveInternet(env, { agentInternet: true }, { has }).access.mode).toBe("allowlist");
    expect(effectiveInternet(env, { agentInternet: false }, { has }).access.mode).toBe("off");
    expect(effectiveInternet(env, { agentInternet: true }, { has: () => false }).access.mode).toBe("off");
    expect(environmentAccess(env).collaborators.has("alice")).toBe(true);
  });

  it("ranks GitHub permissions", () => {
    expect(repoAllows("read", "triage")).toBe("ok");
    expect(repoAllows("write", "triage")).toBe("no_write");
    expect(repoAllows("write", "admin")).toBe("ok");
    expect(repoAllows("read", "none")).toBe("no_access");
  });
});
