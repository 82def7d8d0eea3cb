import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTeamConfig } from "../../src/runtime/executors/team-setup";

// The checkout is whatever the repository holds: its `.codex/` may try to make the hub read files outside it.

const root = mkdtempSync(join(tmpdir(), "hub-team-setup-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function checkout(name: string, build: (dir: string) => void): string {
  const dir = join(root, name);
  mkdirSync(join(dir, ".codex"), { recursive: true });
  build(dir);
  return dir;
}

describe("reading Team Config from a checkout", () => {
  it("reads config.toml, rule files and skill files", async () => {
    const dir = checkout("plain", (d) => {
      writeFileSync(join(d, ".codex/config.toml"), 'model = "gpt-5-codex"\n');
      mkdirSync(join(d, ".codex/rules"));
      writeFileSync(join(d, ".codex/rules/default.rules"), "# rules\n");
      mkdirSync(join(d, ".codex/skills/deploy"), { recursive: true });
      writeFileSync(join(d, ".codex/skills/deploy/SKILL.md"), "---\nname: deploy\n---\n");
    });
    expect(await readTeamConfig(dir)).toEqual({
      config: { model: "gpt-5-codex" },
      rules: [{ path: "default.rules", content: "# rules\n" }],
      skills: [{ path: "deploy/SKILL.md", content: "---\nname: deploy\n---\n" }],
    });
  });

  it("never follows a symlink out of the checkout", async () => {
    const secret = join(root, "hub-secret.txt");
    writeFileSync(secret, "HUB_ENCRYPTION_KEY=do-not-leak\n");
    const dir = checkout("hostile", (d) => {
      symlinkSync(secret, join(d, ".codex/config.toml"));
      mkdirSync(join(d, ".codex/rules"));
      symlinkSync(secret, join(d, ".codex/rules/leak.rules"));
      symlinkSync(root, join(d, ".codex/skills"));
    });
    const read = await readTeamConfig(dir);
    expect(read).toEqual({ rules: [], skills: [] });
    expect(JSON.stringify(read)).not.toContain("do-not-leak");
  });

  it("says when config.toml is not TOML, and finds nothing without a .codex directory", async () => {
    const dir = checkout("broken", (d) => writeFileSync(join(d, ".codex/config.toml"), "model = \n"));
    expect((await readTeamConfig(dir))?.configError).toMatch(/^\.codex\/config\.toml is not valid TOML/);
    const bare = join(root, "bare");
    mkdirSync(bare);
    expect(await readTeamConfig(bare)).toBeNull();
  });
});
