import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import type { Logger } from "../lib/logger";

/**
 * Lowers the calling thread's CPU priority (10 niceness steps below the process's by default). On Linux niceness belongs to each
 * thread, so this leaves the HTTP and intake threads at the normal priority: when the CPU is short, webhooks
 * are still verified, stored and acknowledged within the platforms' deadlines, and processing catches up from
 * the inbox once the burst is over. Processes started from the thread (task executors) inherit it. Elsewhere
 * (macOS, Windows) the call would renice the whole process, so it is skipped.
 */
export function lowerThreadPriority(logger: Logger, niceness = 10): void {
  if (process.platform !== "linux") return;
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    if (!Number.isInteger(threadId) || threadId <= 0) return;
    // Relative to the process's own niceness (`nice npm start` stays nicer), capped at the lowest priority.
    setPriority(threadId, Math.min(19, getPriority(threadId) + niceness));
  } catch (error) {
    logger.warn({ error: (error as Error).message }, "could not lower the background thread's priority");
  }
}
