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
  const bullets = (text: string) => text.split("\n").filter((l) => l.startsWith("• "));

  it("lists one line per group, only groups the caller may use", () => {
    const member = renderHelp("member");
    expect(member).toContain("/codex whoami");
    expect(member).toContain("`/codex help env`: environments");
    expect(member).toContain("`/codex help review`: review filters");
    expect(member).not.toContain("help role");
    expect(member).not.toContain("help group");
    expect(member).not.toContain("help policy");

    const admin = renderHelp("codex_admin");
    expect(admin).toContain("`/codex help policy`: managed policies (lookup, list, assign, fallback)");
    // A group with one command open to the caller shows that command.
    expect(admin).toContain("• `/codex role list`");
    expect(admin).toContain("`/codex help group`: groups and their roles (list, show)");

    const owner = renderHelp("owner");
    expect(owner).toContain("`/codex help group`: groups and their roles (list, show, roles)");
    expect(owner).not.toContain("need a Codex Admin");
    // Short: one line per group, never one per command.
    expect(bullets(owner).length).toBeLessThan(Object.keys(COMMAND_USAGE).length / 2);
  });

  it("lists a group's commands with their usage", () => {
    const env = renderHelp("owner", { topic: "env" });
    const envUsages = Object.entries(COMMAND_USAGE).filter(([kind]) => kind.startsWith("env."));
    expect(bullets(env)).toHaveLength(envUsages.length);
    for (const [, usage] of envUsages) expect(env).toContain(usage);
    const member = renderHelp("member", { topic: "env" });
    expect(member).toContain("env show");
    expect(member).not.toContain("env create");
    expect(member).toContain("Other commands of this group need");
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
