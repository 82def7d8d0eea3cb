import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateSQLiteDrizzleJson, generateSQLiteMigration } from "drizzle-kit/api";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema/index";
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
});
