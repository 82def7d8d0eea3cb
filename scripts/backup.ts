import { backupDatabase, defaultBackupPath } from "../src/runtime/backup";

/**
 * `npm run backup [-- <file>]`: a consistent copy of the hub's SQLite database (HUB_DB_PATH), safe while the
 * hub runs. Without a file name it goes to a `backups` folder beside the database. Restoring is described in
 * the README ("Backup and restore").
 */
const dbPath = process.env.HUB_DB_PATH?.trim() || "./data/hub.sqlite";
const target = process.argv[2] ?? defaultBackupPath(dbPath);
try {
  const { path, bytes } = backupDatabase(dbPath, target);
  console.log(`Backed up ${dbPath} to ${path} (${(bytes / 1024 / 1024).toFixed(1)} MB)`);
} catch (error) {
  console.error(`backup failed: ${(error as Error).message}`);
  process.exit(1);
}
