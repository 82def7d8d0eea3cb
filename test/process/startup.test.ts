import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runHubProcessUntilExit, startHubProcess } from "../helpers/hub-process";

const dir = mkdtempSync(join(tmpdir(), "hub-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("starting the hub (real process)", () => {
  it("starts with no variables: sandbox mode, generated secrets kept and printed only the first time", async () => {
    const env = { HUB_DB_PATH: join(dir, "data", "hub.sqlite") };
    const first = await startHubProcess(env);
    const banner = first.lines.find((l) => l.startsWith("Generated secrets"));
    expect(banner).toBeDefined();
    expect(first.lines.join("\n")).toMatch(/HUB_ADMIN_TOKEN=hub_/);
    // Anyone who reaches a sandbox hub may sign in as its owner: it listens on this machine only.
    const listening = JSON.parse(first.lines.find((l) => l.includes('"hub listening'))!);
    expect(listening).toMatchObject({ address: "127.0.0.1", sandbox: true });
    const ready = await fetch(`${first.url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: "ready" });
    expect((await fetch(`${first.url}/sandbox`)).status).toBe(200);
    await first.stop();

    const secretsFile = join(dir, "data", "dev-secrets.json");
    expect(existsSync(secretsFile)).toBe(true);
    const kept = JSON.parse(readFileSync(secretsFile, "utf8"));

    const second = await startHubProcess(env);
    expect(second.lines.some((l) => l.startsWith("Generated secrets"))).toBe(false);
    // Same admin token after the restart: the dead-letter API answers to it.
    const inbox = await fetch(`${second.url}/api/v1/inbox?status=dead`, {
      headers: { authorization: `Bearer ${kept.HUB_ADMIN_TOKEN}` },
    });
    expect(inbox.status).toBe(200);
    await second.stop();
  }, 30_000);

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
  }, 30_000);

  it("refuses to start on invalid variables, naming each one", async () => {
    const result = await runHubProcessUntilExit({
      HUB_DB_PATH: join(dir, "bad", "hub.sqlite"),
      PORT: "not-a-port",
      GITHUB_API_URL: "ftp://example.com",
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT: must be a port number/);
    expect(result.stderr).toMatch(/GITHUB_API_URL: must be an absolute http\(s\) URL/);
  }, 30_000);
});
