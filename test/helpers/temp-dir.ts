import { rmSync } from "node:fs";

/**
 * Removes a test's temporary directory. A file database's checkpoint thread stops after `close()` returns and
 * may still be touching the WAL while the directory goes, so removing is retried rather than failing the test
 * on ENOTEMPTY.
 */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
}
