import { describe, expect, it } from "vitest";
import { indexSnapshot } from "../../src/access/snapshot-index";
import { pluginsForTask } from "../../src/access/task-plugins";
import type { Plugin, WorkspaceSnapshot } from "../../src/access/types";
import { baseSnapshot, byId } from "./fixture";

// Which plugins a task gets: installed by one of the requester's roles, and every required app usable by them.

const docs: Plugin = {
  id: "p-docs",
  name: "Docs",
  enabled: true,
  skills: ["write-release-notes", "Check links\nFollow every link in the changed pages."],
  requiredAppIds: [],
  optionalAppIds: ["app-crm"],
  policyByRole: { "r-users": "installed", "r-default": "available" },
  defaultPolicy: "none",
};

function plugins(memberId: string, change: (s: WorkspaceSnapshot) => void = () => {}) {
  const snapshot = baseSnapshot();
  snapshot.plugins.push(structuredClone(docs));
  change(snapshot);
  return pluginsForTask(indexSnapshot(snapshot), memberId);
}

describe("a task's plugins", () => {
  it("are the ones the requester's roles install, with their skills", () => {
    const got = plugins("alice");
    expect(got.installed.map((p) => [p.name, p.skills, p.roleId])).toEqual([
      ["Sales", ["summarise-deal"], "r-users"],
      ["Docs", docs.skills, "r-users"],
    ]);
    expect(got.leftOut).toEqual([]);
  });

  it("leave out a plugin whose required app is not enabled for the requester's role, and say so", () => {
    const got = plugins("alice", (s) => {
      byId(s.apps, "app-crm").access = {
        type: "assigned",
        memberIds: [],
        groupIds: [],
        roleIds: ["r-admin"],
      };
    });
    expect(got.installed.map((p) => p.name)).toEqual(["Docs"]);
    expect(got.leftOut).toEqual([
      {
        id: "p-sales",
        name: "Sales",
        reason: "needs app CRM, not enabled for your role",
        appIds: ["app-crm"],
      },
    ]);
  });

  it("say when the required app is disabled, a draft or gone", () => {
    const reason = (change: (s: WorkspaceSnapshot) => void) => plugins("alice", change).leftOut[0]?.reason;
    expect(
      reason((s) => {
        byId(s.apps, "app-crm").enabled = false;
      }),
    ).toBe("needs app CRM, which is disabled in the workspace");
    expect(
      reason((s) => {
        byId(s.apps, "app-crm").status = "draft";
      }),
    ).toBe("needs app CRM, which is still a draft");
    expect(
      reason((s) => {
        s.apps = s.apps.filter((a) => a.id !== "app-crm");
      }),
    ).toBe("needs app app-crm, which is not set up in the workspace");
  });

  it("do not include plugins that are only available, disabled, or not for the requester's roles", () => {
    // Carol has only the default role: Docs is available to her (hers to install), Sales is nothing.
    expect(plugins("carol")).toEqual({ installed: [], leftOut: [] });
    const disabled = plugins("alice", (s) => {
      byId(s.plugins, "p-docs").enabled = false;
    });
    expect(disabled.installed.map((p) => p.name)).toEqual(["Sales"]);
    // An optional app never blocks a plugin.
    const optional = plugins("alice", (s) => {
      byId(s.apps, "app-linear").enabled = false;
    });
    expect(optional.installed.map((p) => p.name)).toEqual(["Sales", "Docs"]);
  });

  it("are none for a deactivated or unknown requester", () => {
    expect(plugins("erin")).toEqual({ installed: [], leftOut: [] });
    expect(plugins("nobody")).toEqual({ installed: [], leftOut: [] });
  });
});
