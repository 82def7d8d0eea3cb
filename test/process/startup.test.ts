import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runHubProcessUntilExit, startHubProcess } from "../helpers/hub-process";

const dir = mkdtempSync(join(tmpdir(), "hub-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("starting the hub (real process)", () => {
  it("starts with no variables: sandbox mode, generated secrets kept owner-only, their place told once", async () => {
    const env = { HUB_DB_PATH: join(dir, "data", "hub.sqlite") };
    const first = await startHubProcess(env);
    const secretsFile = join(dir, "data", "dev-secrets.json");
    const banner = first.lines.find((l) => l.startsWith("Generated secrets"));
    expect(banner).toContain(`cat ${secretsFile}`);
    // Anyone who reaches a sandbox hub may sign in as its owner: it listens on this machine only.
    const listening = JSON.parse(first.lines.find((l) => l.includes('"hub listening'))!);
    expect(listening).toMatchObject({ address: "127.0.0.1", sandbox: true });
    const ready = await fetch(`${first.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: "ready" });
    expect((await fetch(`${first.url}/sandbox`)).status).toBe(200);
    await first.stop();

    expect(existsSync(secretsFile)).toBe(true);
    const kept = JSON.parse(readFileSync(secretsFile, "utf8"));
    // stdout is a pipe here, as under a log collector: no secret value reaches it.
    const output = first.lines.join("\n");
    for (const value of Object.values(kept) as string[]) expect(output).not.toContain(value);
    const modeOf = (path: string) => statSync(path).mode & 0o777;
    expect(modeOf(join(dir, "data"))).toBe(0o700);
    expect([modeOf(secretsFile), modeOf(join(dir, "data", "hub.sqlite"))]).toEqual([0o600, 0o600]);

    const second = await startHubProcess(env);
    expect(second.lines.some((l) => l.startsWith("Generated secrets"))).toBe(false);
    // Same admin token after the restart: the dead-letter API answers to it.
    const inbox = await fetch(`${second.url}/api/v1/inbox?status=dead`, {
      headers: { authorization: `Bearer ${kept.HUB_ADMIN_TOKEN}` },
    });
    expect(inbox.status).toBe(200);
    await second.stop();
  }, 90_000);

  it("says in one line that the port is taken, and exits non-zero", async () => {
    const other = createServer();
    other.listen(0, "127.0.0.1");
    await once(other, "listening");
    const { port } = other.address() as AddressInfo;
    try {
      const result = await runHubProcessUntilExit({
        HUB_DB_PATH: join(dir, "busy", "hub.sqlite"),
        PORT: String(port),
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `The hub failed to start: Port ${port} is already in use on 127.0.0.1; stop the other process or set PORT.\n`,
      );
    } finally {
      other.close();
    }
  }, 90_000);

  it("refuses to start on invalid variables, naming each one", async () => {
    const result = await runHubProcessUntilExit({
      HUB_DB_PATH: join(dir, "bad", "hub.sqlite"),
      PORT: "not-a-port",
      GITHUB_API_URL: "ftp://example.com",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT: must be a port number/);
    expect(result.stderr).toMatch(/GITHUB_API_URL: must be an absolute http\(s\) URL/);
  }, 90_000);

  it("refuses to start on a kept secrets file that breaks the same rules, naming the file and the entry", async () => {
    const secretsFile = join(dir, "short-key", "dev-secrets.json");
    mkdirSync(dirname(secretsFile));
    writeFileSync(secretsFile, JSON.stringify({ HUB_ENCRYPTION_KEY: Buffer.alloc(8, 1).toString("base64") }));
    const result = await runHubProcessUntilExit({ HUB_DB_PATH: join(dir, "short-key", "hub.sqlite") });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      `Invalid configuration in ${secretsFile}:`,
      expect.stringMatching(/^ {2}- HUB_ENCRYPTION_KEY: must be 32 random bytes/),
      expect.stringMatching(/^Fix or remove these entries/),
    ]);
  }, 90_000);
});
