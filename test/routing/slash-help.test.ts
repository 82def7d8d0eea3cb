import { describe, expect, it } from "vitest";
import { parseSlashCommand } from "../../src/routing/slash-command";
import {
  COMMAND_PERMISSIONS,
  COMMAND_USAGE,
  levelAllows,
  mayRun,
  renderHelp,
  requiredLevel,
} from "../../src/routing/slash-help";

describe("command permissions", () => {
  it("orders levels: owner ⊇ codex_admin ⊇ member", () => {
    expect(levelAllows("owner", "codex_admin")).toBe(true);
    expect(levelAllows("codex_admin", "member")).toBe(true);
    expect(levelAllows("member", "codex_admin")).toBe(false);
    expect(levelAllows("codex_admin", "owner")).toBe(false);
  });

  it("keeps workspace switches, RBAC and apps for owners", () => {
    for (const text of [
      "settings set codex-cloud off",
      "role grant admin ops",
      "role default x",
      "app disable slack",
    ]) {
      expect(requiredLevel(parseSlashCommand(text))).toBe("owner");
    }
  });

  it("gives Codex settings, environments and policies to Codex Admins", () => {
    for (const text of [
      "repo a/b review on",
      "repo a/b triggers opened",
      "env default api",
      "policy lookup x@y.z",
    ]) {
      expect(requiredLevel(parseSlashCommand(text))).toBe("codex_admin");
    }
  });

  it("lets members read, opt in and manage their own tasks", () => {
    for (const text of [
      "whoami",
      "settings",
      "repo a/b",
      "env list",
      "review-my-prs on",
      "cancel t1",
      "nonsense",
    ]) {
      expect(requiredLevel(parseSlashCommand(text))).toBe("member");
    }
  });

  it("has a usage line for every command", () => {
    expect(Object.keys(COMMAND_USAGE).sort()).toEqual(Object.keys(COMMAND_PERMISSIONS).sort());
    for (const usage of Object.values(COMMAND_USAGE)) expect(usage).toMatch(/^`\/codex [^`]+`: .+/);
  });
});

describe("renderHelp", () => {
  it("lists only what the caller may run", () => {
    const member = renderHelp("member");
    expect(member).toContain("/codex whoami");
    expect(member).toContain("/codex review-my-prs on|off");
    expect(member).not.toContain("settings set");
    expect(member).not.toContain("role grant");
    expect(member).not.toContain("policy lookup");

    const admin = renderHelp("codex_admin");
    expect(admin).toContain("policy lookup");
    expect(admin).toContain("repo <owner/name> triggers");
    expect(admin).not.toContain("role grant");

    const owner = renderHelp("owner");
    for (const usage of Object.values(COMMAND_USAGE)) expect(owner).toContain(usage);
    expect(owner).not.toContain("need a Codex Admin");
  });

  it("lists exactly as many lines as runnable commands", () => {
    for (const level of ["member", "codex_admin", "owner"] as const) {
      const bullets = renderHelp(level)
        .split("\n")
        .filter((l) => l.startsWith("• "));
      const runnable = Object.keys(COMMAND_PERMISSIONS).filter((k) =>
        mayRun(level, k as keyof typeof COMMAND_PERMISSIONS),
      );
      expect(bullets).toHaveLength(runnable.length);
    }
  });

  it("shows the error first and filters by topic", () => {
    const text = renderHelp("owner", { error: "Unknown command `x`.", topic: "role" });
    expect(text.split("\n")[0]).toContain("Unknown command `x`.");
    expect(text).toContain("role grant");
    expect(text).not.toContain("whoami");
  });

  it("tells someone who is not a member how to get access instead of listing commands", () => {
    const text = renderHelp(null);
    expect(text).not.toContain("• ");
    expect(text).toMatch(/workspace owner/);
    expect(mayRun(null, "help")).toBe(false);
  });
});
