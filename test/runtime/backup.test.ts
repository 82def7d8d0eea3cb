import { once } from "node:events";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { inbox } from "../../src/db/schema/inbox";
import { createInboxStore } from "../../src/inbox/store";
import { silentLogger } from "../../src/lib/logger";
import { backupDatabase, defaultBackupPath } from "../../src/runtime/backup";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { startThread } from "../../src/runtime/threads";
import { removeTempDir } from "../helpers/temp-dir";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

const delivery = (key: string) => ({
  platform: "github" as const,
  deliveryKey: key,
  eventType: "pull_request.opened",
  payload: `{"key":"${key}"}`,
  known: true,
  replayDigest: false,
  receivedAt: 1,
});

/** The next progress report of the writer thread with at least `atLeast` commits. */
async function writtenAtLeast(worker: import("node:worker_threads").Worker, atLeast: number) {
  for (;;) {
    const [message] = (await once(worker, "message")) as [{ type: string; written: number }];
    if (message.written >= atLeast) return message.written;
  }
}

describe("backing up the database", () => {
  it("copies a consistent snapshot while another thread writes, which restores and reads back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hub-backup-"));
    dirs.push(dir);
    const dbPath = join(dir, "data", "hub.sqlite");
    const database = openNodeDatabase(dbPath);
    const store = createInboxStore(database);
    for (let i = 0; i < 20; i++) await store.add(delivery(`kept-${i}`));

    const entry = pathToFileURL(join(import.meta.dirname, "fixtures", "writer-thread.ts")).href;
    const writer = await startThread("writer", entry, { dbPath }, silentLogger);
    let written = 0;
    try {
      await writtenAtLeast(writer.worker, 10);
      const target = join(dir, "backups", "hub.sqlite");
      const result = backupDatabase(dbPath, target);
      expect(result.path).toBe(target);
      expect(result.bytes).toBeGreaterThan(0);
      expect(existsSync(`${target}.partial`)).toBe(false);
      expect(() => backupDatabase(dbPath, target)).toThrow(/already exists/);

      // Restore: the file at a new HUB_DB_PATH, opened by the hub's own database layer (migrations included).
      const restoredPath = join(dir, "restored", "hub.sqlite");
      mkdirSync(join(dir, "restored"));
      copyFileSync(target, restoredPath);
      const restored = openNodeDatabase(restoredPath);
      let copied: number[];
      try {
        expect(restored.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
        const status = await restored.migrationStatus();
        expect(status.applied).toBe(status.shipped);
        const keys = (await restored.db.select({ key: inbox.deliveryKey }).from(inbox)).map((r) => r.key);
        for (let i = 0; i < 20; i++) expect(keys).toContain(`kept-${i}`);
        // One snapshot: exactly the writer's first n commits, for an n reached while it was writing.
        copied = keys.filter((k) => k.startsWith("w-")).map((k) => Number(k.slice(2)));
        expect(copied.length).toBeGreaterThanOrEqual(10);
        expect(copied.sort((a, b) => a - b)).toEqual([...Array(copied.length).keys()]);
      } finally {
        restored.close();
      }
      // The copy never held the writer up: it goes on committing past what the copy holds. (Its reports are
      // compared with the copy only now: one posted before the copy was taken can arrive after it.)
      expect(await writtenAtLeast(writer.worker, copied.length + 1)).toBeGreaterThan(copied.length);
    } finally {
      const stopped = new Promise<void>((resolve) =>
        writer.worker.on("message", (m: { type: string; written: number }) => {
          if (m.type === "stopped") {
            written = m.written;
            resolve();
          }
        }),
      );
      await writer.stop();
      await stopped;
      database.close();
    }
    expect(written).toBeGreaterThan(10);
  });

  it("refuses a missing database and names the default file beside it", () => {
    expect(() => backupDatabase(join(tmpdir(), "no-such-hub.sqlite"), join(tmpdir(), "x.sqlite"))).toThrow(
      /no database/,
    );
    expect(defaultBackupPath("./data/hub.sqlite", new Date("2025-01-31T12:34:56.789Z"))).toBe(
      join("data", "backups", "hub-2025-01-31T12-34-56Z.sqlite"),
    );
  });
});
