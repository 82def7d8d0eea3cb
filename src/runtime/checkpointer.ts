import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// Copying the WAL back into the database file (a checkpoint) ends with an fsync of that file, and SQLite runs
// it on whichever connection commits past the threshold: that commit, and the thread that made it, then waits
// on the disk. Here a small thread of its own (better-sqlite3 alone, none of the hub's code) checkpoints on a
// timer instead, in PASSIVE mode: it never waits for a reader or a writer, and writers go on appending to the
// WAL while it copies. Every connection of the hub then turns its own checkpoints off.
// Once a second rather than more often: a checkpoint copies each page changed since the last one once, however
// many commits changed it, and the inbox's dedupe indexes (random delivery ids and digests) dirty the same
// interior pages in most commits. Under 3,000 GitHub deliveries a second, checkpointing every 100 ms cost the
// hub about 15% more CPU per delivery than every second (bench: `npm run bench -- ingress`).
// A PASSIVE checkpoint never empties the WAL while writes go on: writers start over at the top of the WAL
// only after a checkpoint copied every frame in it, and there are always newer ones. Under a steady 200 tasks
// a second the WAL grew by 85 MB a second, 1.7 GB in 20 s, until the disk would be full. Once it holds more
// than `restartFrames` (about 1 GB of 4 KB pages), a RESTART follows the PASSIVE round: writers wait (at most
// 100 ms) while it copies the frames appended since and the readers of the moment finish, and the next commit
// writes from the top of the WAL file again. Not sooner: at 256 MB, the restarts every few seconds cost the
// ingress benchmark 12–15% of its deliveries a second and the task benchmark 2–4% more CPU per task.

const source = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.module);
// fileMustExist: a thread that starts after its database was closed and removed must not create it again.
const db = new Database(workerData.path, { fileMustExist: true });
// A RESTART waits this long at most for the writer and the readers of the moment.
db.pragma("busy_timeout = 100");
const timer = setInterval(() => {
  // SQLITE_BUSY: another checkpoint is running (a backup, an erasure's TRUNCATE); the next round catches up.
  try {
    const [passive] = db.pragma("wal_checkpoint(PASSIVE)");
    if (passive.log > workerData.restartFrames) db.pragma("wal_checkpoint(RESTART)");
  } catch {}
}, workerData.everyMs);
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints the WAL of the database at `path` every `everyMs` until stopped. Should the thread fail (it
 * could not open the file), `onFailure` is told once, so that its connection checkpoints again itself rather
 * than let the WAL grow without end.
 */
export function startCheckpointer(
  path: string,
  onFailure: (error: Error) => void,
  { everyMs = 1000, restartFrames = 262_144 }: { everyMs?: number; restartFrames?: number } = {},
): { stop(): void } {
  let stopped = false;
  const worker = new Worker(source, {
    eval: true,
    name: "checkpoints",
    workerData: {
      path,
      everyMs,
      restartFrames,
      module: createRequire(import.meta.url).resolve("better-sqlite3"),
    },
  });
  // It never keeps the process alive.
  worker.unref();
  const fail = (error: Error) => {
    if (stopped) return;
    stopped = true;
    onFailure(error);
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the checkpoint thread exited (code ${code})`)));
  return {
    stop: () => {
      stopped = true;
      worker.postMessage("stop");
    },
  };
}
