import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { generateSQLiteDrizzleJson, generateSQLiteMigration } from "drizzle-kit/api";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema/index";
import { decodePayload } from "../../src/inbox/payload-codec";
import { migrationsFolder, openNodeDatabase } from "../../src/runtime/node-db";

describe("database migrations", () => {
  it("match the drizzle schema (run `npm run db:generate` after changing src/db/schema)", async () => {
    const snapshots = readdirSync(join(migrationsFolder, "meta"))
      .filter((f) => f.endsWith("_snapshot.json"))
      .sort();
    const latest = JSON.parse(readFileSync(join(migrationsFolder, "meta", snapshots.at(-1)!), "utf8"));
    const current = await generateSQLiteDrizzleJson(schema as Record<string, unknown>);
    const statements = await generateSQLiteMigration(latest, current);
    expect(statements).toEqual([]);
  });

  it("apply cleanly to a new database in WAL mode", () => {
    const dir = join(process.env.TMPDIR ?? "/tmp", `hub-mig-${process.pid}-${Date.now()}`);
    const database = openNodeDatabase(join(dir, "hub.sqlite"));
    expect(database.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    return database.migrationStatus().then((status) => {
      expect(status.applied).toBe(status.shipped);
      database.close();
    });
  });

  it("keep payloads stored before compression readable after upgrading", () => {
    const dir = join(process.env.TMPDIR ?? "/tmp", `hub-upgrade-${process.pid}-${Date.now()}`);
    // A database as the first release left it: only the baseline migration applied, payloads as text.
    const baseline = join(dir, "baseline-migrations");
    mkdirSync(join(baseline, "meta"), { recursive: true });
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8"));
    const first = journal.entries[0];
    cpSync(join(migrationsFolder, `${first.tag}.sql`), join(baseline, `${first.tag}.sql`));
    writeFileSync(join(baseline, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: [first] }));
    const path = join(dir, "hub.sqlite");
    const old = new BetterSqlite3(path);
    migrate(drizzle(old), { migrationsFolder: baseline });
    const body = JSON.stringify({ action: "opened", note: "é ✓" });
    old
      .prepare(
        "INSERT INTO inbox (id, platform, delivery_key, event_type, received_at, available_at, payload) VALUES ('evt_old', 'github', 'd-old', 'pull_request.opened', 1, 1, ?)",
      )
      .run(body);
    old.close();

    const upgraded = openNodeDatabase(path);
    const row = upgraded.sqlite
      .prepare("SELECT payload, payload_encoding AS encoding, status FROM inbox WHERE id = 'evt_old'")
      .get() as { payload: Buffer; encoding: "utf-8"; status: string };
    upgraded.close();
    expect(row.status).toBe("pending");
    expect(row.encoding).toBe("utf-8");
    expect(decodePayload(row.payload, row.encoding)).toBe(body);
  });
});
