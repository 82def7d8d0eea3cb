import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, type GeneratedSecrets, generatedSecretNames } from "../../src/config";
import { generatedSecretsNotice, loadOrCreateDevSecrets } from "../../src/runtime/dev-secrets";
import { openNodeDatabase } from "../../src/runtime/node-db";

const root = mkdtempSync(join(tmpdir(), "hub-secrets-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const modeOf = (path: string) => statSync(path).mode & 0o777;

/** A fresh directory with a dev-secrets.json holding `text`; returns the database path beside it. */
function keptFile(name: string, text: string): { dbPath: string; file: string } {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "dev-secrets.json");
  writeFileSync(file, text, { mode: 0o600 });
  return { dbPath: join(dir, "hub.sqlite"), file };
}

function refusal(dbPath: string): ConfigError {
  try {
    loadOrCreateDevSecrets(dbPath);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected the kept secrets to be refused");
}

describe("generated secrets", () => {
  it("are kept owner-only: the file 0600 in a directory the hub creates 0700", () => {
    const dbPath = join(root, "fresh", "nested", "hub.sqlite");
    const kept = loadOrCreateDevSecrets(dbPath);
    expect(kept.created).toBe(true);
    expect(modeOf(join(root, "fresh", "nested"))).toBe(0o700);
    expect(modeOf(kept.path)).toBe(0o600);
    expect(JSON.parse(readFileSync(kept.path, "utf8"))).toEqual(kept.secrets);
  });

  it("are not written to stdout unless a person at a terminal runs the sandbox", () => {
    const secrets = Object.fromEntries(
      generatedSecretNames.map((n) => [n, `value-of-${n}`]),
    ) as unknown as GeneratedSecrets;
    const notice = (sandbox: boolean, interactive: boolean) =>
      generatedSecretsNotice({
        path: "/srv/hub/dev-secrets.json",
        names: generatedSecretNames,
        secrets,
        sandbox,
        interactive,
      });
    for (const [sandbox, interactive] of [
      [true, false],
      [false, true],
      [false, false],
    ] as const) {
      const text = notice(sandbox, interactive);
      expect(text).not.toMatch(/value-of-/);
      expect(text).toContain("cat /srv/hub/dev-secrets.json");
      expect(text).toContain("HUB_ADMIN_TOKEN");
    }
    expect(notice(true, true)).toContain("HUB_ADMIN_TOKEN=value-of-HUB_ADMIN_TOKEN");
  });

  it("refuses a file that is not JSON, naming the file, in one configuration message", () => {
    const { dbPath, file } = keptFile("corrupt", '{"HUB_ADMIN_TOKEN": "hub_abc');
    const error = refusal(dbPath);
    expect(error.file).toBe(file);
    expect(error.message).toContain(`Invalid configuration in ${file}:`);
    expect(error.message).toMatch(/dev-secrets\.json: is not valid JSON/);
    expect(refusal(keptFile("array", "[]").dbPath).message).toMatch(/must be a JSON object/);
  });

  it("holds each entry to the rule of its environment variable: an 8-byte key is refused", () => {
    const { dbPath, file } = keptFile(
      "short-key",
      JSON.stringify({ HUB_ENCRYPTION_KEY: Buffer.alloc(8, 1).toString("base64"), HUB_ADMIN_TOKEN: "short" }),
    );
    const error = refusal(dbPath);
    expect(error.file).toBe(file);
    expect(error.problems.map((p) => p.variable).sort()).toEqual(["HUB_ADMIN_TOKEN", "HUB_ENCRYPTION_KEY"]);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/HUB_ENCRYPTION_KEY: must be 32 random bytes/);
    expect(error.message).toMatch(/HUB_ADMIN_TOKEN: must be at least 24 characters/);
    expect(refusal(keptFile("number", '{"SLACK_SIGNING_SECRET": 42}').dbPath).problems[0]?.variable).toBe(
      "SLACK_SIGNING_SECRET",
    );
  });

  it("keeps valid entries and generates only what the file lacks", () => {
    const key = Buffer.alloc(32, 3).toString("base64");
    const { dbPath, file } = keptFile("partial", JSON.stringify({ HUB_ENCRYPTION_KEY: key }));
    const kept = loadOrCreateDevSecrets(dbPath);
    expect(kept.secrets.HUB_ENCRYPTION_KEY).toBe(key);
    expect(kept.created).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8")).HUB_ADMIN_TOKEN).toBe(kept.secrets.HUB_ADMIN_TOKEN);
    expect(loadOrCreateDevSecrets(dbPath)).toMatchObject({ created: false, secrets: kept.secrets });
  });
});

describe("the database file", () => {
  it("is created owner-only, with its WAL files, in a directory the hub creates 0700", () => {
    const dir = join(root, "db", "data");
    const database = openNodeDatabase(join(dir, "hub.sqlite"));
    try {
      database.sqlite.exec("CREATE TABLE IF NOT EXISTS probe (a); INSERT INTO probe VALUES (1)");
      expect(modeOf(join(root, "db"))).toBe(0o700);
      expect(modeOf(dir)).toBe(0o700);
      for (const name of ["hub.sqlite", "hub.sqlite-wal", "hub.sqlite-shm"]) {
        expect([name, modeOf(join(dir, name))]).toEqual([name, 0o600]);
      }
    } finally {
      database.close();
    }
  });
});
