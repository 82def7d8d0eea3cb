import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// `npm run slack:manifest` as an admin runs it: the manifest on stdout, or in the file they name; the
// tracked slack/manifest.yaml is never rewritten behind their back.

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "slack-manifest-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/slack-manifest.ts", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
}

describe("npm run slack:manifest", () => {
  it("prints the manifest for PUBLIC_URL, or writes it to the path given", () => {
    const tracked = readFileSync(join(root, "slack", "manifest.yaml"), "utf8");
    const printed = run([], { PUBLIC_URL: "https://hub.acme.test" });
    expect(printed.status).toBe(0);
    expect(printed.stdout).toMatch(/^# Slack app manifest for Codex hub at https:\/\/hub\.acme\.test;/);
    expect(printed.stdout).toContain('    - "https://hub.acme.test/sign-in/slack/callback"\n');
    expect(printed.stdout).toContain('    user:\n      - "openid"\n      - "email"\n      - "profile"\n');
    expect(printed.stdout).toContain('      - "mpim:read"\n');
    expect(readFileSync(join(root, "slack", "manifest.yaml"), "utf8")).toBe(tracked);

    const file = join(dir, "nested", "manifest.yaml");
    const written = run([file], { PUBLIC_URL: "https://hub.acme.test" });
    expect(written.status).toBe(0);
    expect(written.stdout).toBe("");
    expect(readFileSync(file, "utf8")).toBe(printed.stdout);

    const missing = run([], {});
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toContain("Set PUBLIC_URL");
  }, 120_000);
});
