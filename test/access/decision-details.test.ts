import { describe, expect, it } from "vitest";
import { decide } from "../../src/access/decide";
import { indexSnapshot } from "../../src/access/snapshot-index";
import { type AccessRequest, DECISION_CODES } from "../../src/access/types";
import { baseSnapshot, byId, request } from "./fixture";

const run = (req: Partial<AccessRequest>, setup?: (s: ReturnType<typeof baseSnapshot>) => void) => {
  const snapshot = baseSnapshot();
  setup?.(snapshot);
  return decide(request(req), indexSnapshot(snapshot));
};

describe("what a refused person reads", () => {
  it("local clients get the exact 403 text when Codex local is off", () => {
    const d = run(
      { actor: { memberId: "alice", platform: "web" }, surface: "local", action: "local.use" },
      (s) => {
        s.toggles.codexLocal = false;
      },
    );
    expect(d.message).toBe("403 - Unauthorized. Contact your ChatGPT administrator for access.");
  });

  it("an unlinked GitHub identity is told where to connect", () => {
    const d = run({ actor: { memberId: "dave", platform: "slack" }, repoPermission: null });
    expect(d.code).toBe("IDENTITY_UNLINKED");
    expect(d.message).toContain("/connect/github");
    expect(d.message).toContain("acme/web");
  });

  it("an unknown Slack user is told accounts are matched by email", () => {
    const d = run({ actor: { memberId: null, platform: "slack", platformUserId: "U-X" } });
    expect(d.message).toMatch(/email/);
    expect(d.effective).toBeUndefined();
  });

  it("an unknown GitHub user is told to connect GitHub", () => {
    const d = run({ actor: { memberId: null, platform: "github", platformUserId: "x" }, surface: "github" });
    expect(d.message).toContain("/connect/github");
  });

  it("denials name the thing to change", () => {
    const slackOff = run({}, (s) => {
      byId(s.apps, "app-slack").enabled = false;
    });
    expect(slackOff.message).toMatch(/Slack.*enable/);
    expect(run({ repoPermission: "read", action: "pr.open" }).message).toMatch(/write access/);
    expect(
      run({ environmentId: "env-secret", actor: { memberId: "gina", platform: "slack" } }).message,
    ).toMatch(/collaborator/);
  });
});

describe("trace", () => {
  it("an allowed decision lists every check in the fixed order", () => {
    const d = run({ action: "pr.open", repoPermission: "write" });
    expect(d.trace.map((t) => t.check)).toEqual([
      "actor",
      "member.status",
      "surface",
      "workspace",
      "app:slack",
      "app:github",
      "role",
      "plugin",
      "environment",
      "repository",
      "confirmation",
    ]);
    expect(d.trace.find((t) => t.check === "plugin")?.outcome).toBe("skip");
    expect(d.trace.find((t) => t.check === "repository")?.found).toContain('"write" on acme/web');
  });

  it("a denial stops at the failing check and says what it found", () => {
    const d = run({}, (s) => {
      s.toggles.codexCloud = false;
    });
    expect(d.trace.map((t) => t.outcome)).toEqual(["pass", "pass", "pass", "fail"]);
    expect(d.trace.at(-1)).toEqual({ check: "workspace", outcome: "fail", found: "Codex cloud is off" });
  });

  it("an unknown action is refused, even one named like an object property", () => {
    const d = run({ action: "constructor" as AccessRequest["action"] });
    expect(d.code).toBe("ACTION_NOT_SUPPORTED");
    expect(run({ surface: "fax" as AccessRequest["surface"] }).code).toBe("ACTION_NOT_SUPPORTED");
    // A repository permission GitHub never answers counts as no access.
    const odd = run({ repoPermission: "constructor" as AccessRequest["repoPermission"] });
    expect(odd.code).toBe("REPO_NO_ACCESS");
  });
});

describe("effective access", () => {
  it("reports permissions, roles and the managed policy", () => {
    const d = run({ actor: { memberId: "gina", platform: "slack" } });
    expect(d.effective?.permissions).toEqual(["codex_local", "codex_cloud", "codex_admin"]);
    expect(d.effective?.roleIds).toEqual(["r-users", "r-admin"]);
    expect(d.effective?.policyId).toBe("pol-admin");
  });

  it("owners hold every permission; members without custom role get the default", () => {
    expect(
      run({ actor: { memberId: "dave", platform: "slack" }, githubLinked: true }).effective?.permissions,
    ).toEqual(["codex_local", "codex_cloud", "codex_admin", "agent_internet"]);
    const carol = run({ actor: { memberId: "carol", platform: "slack" } });
    expect(carol.effective?.roleIds).toEqual(["r-default"]);
    expect(carol.effective?.policyId).toBe("pol-base");
  });

  it("internet follows the environment only where the workspace and the member allow it", () => {
    const frank = { actor: { memberId: "frank", platform: "slack" as const } };
    expect(run(frank).effective?.internet).toEqual({
      mode: "allowlist",
      domains: ["registry.npmjs.org"],
      methods: ["GET", "HEAD"],
    });
    expect(
      run(frank, (s) => {
        s.toggles.agentInternet = false;
      }).effective?.internet,
    ).toEqual({
      mode: "off",
    });
    // alice lacks agent_internet
    expect(run({}).effective?.internet).toEqual({ mode: "off" });
    // frank in an environment whose internet is off
    expect(run({ ...frank, environmentId: "env-secret" }).effective?.internet).toEqual({ mode: "off" });
  });
});

it("exports every decision code once", () => {
  expect(new Set(DECISION_CODES).size).toBe(DECISION_CODES.length);
  for (const code of ["ALLOWED", "UNKNOWN_ACTOR", "APP_READ_ONLY", "REPO_NO_WRITE", "ENV_NOT_VISIBLE"]) {
    expect(DECISION_CODES).toContain(code);
  }
});
