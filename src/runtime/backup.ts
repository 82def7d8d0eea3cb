import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import BetterSqlite3 from "better-sqlite3";

/** The default backup file: a `backups` folder beside the database (`./data/backups/hub-<UTC time>.sqlite`). */
export function defaultBackupPath(dbPath: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replaceAll(":", "-");
  return join(dirname(dbPath), "backups", `hub-${stamp}.sqlite`);
}

/**
 * Copies the database at `dbPath` into a new file at `target` while the hub keeps running. `VACUUM INTO` reads
 * one snapshot (a WAL read transaction), so the copy is consistent, holds every commit made before it began,
 * and neither waits for the hub's writers nor makes them wait. The copy is checked, synced to disk and only then
 * given its name, so a file at `target` is always a complete backup.
 */
export function backupDatabase(dbPath: string, target: string): { path: string; bytes: number } {
  if (!existsSync(dbPath)) throw new Error(`There is no database at ${dbPath} (HUB_DB_PATH).`);
  if (existsSync(target)) throw new Error(`${target} already exists; a backup never overwrites a file.`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });

  const source = new BetterSqlite3(dbPath, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    source.prepare("VACUUM INTO ?").run(partial);
  } finally {
    source.close();
  }
  try {
    const copy = new BetterSqlite3(partial, { fileMustExist: true });
    try {
      const result = copy.pragma("integrity_check", { simple: true });
      if (result !== "ok") throw new Error(`The backup failed its integrity check: ${result}`);
    } finally {
      copy.close();
    }
    const fd = openSync(partial, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return { path: target, bytes: statSync(target).size };
}
