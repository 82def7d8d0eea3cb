import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Starts a server for a benchmark as its own process (so it shares no event loop with the load) and resolves
 * with its port once `isReady` finds it in a line of its standard output.
 */
export function start(
  args: string[],
  env: Record<string, string>,
  isReady: (line: string) => number | null,
  node: string[] = ["--import", "tsx"],
) {
  const child = spawn(process.execPath, [...node, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      try {
        const p = isReady(line);
        if (p === null) return;
        resolve(p);
        // From here on the output (the hub's log lines) is drained unread, so reading it costs no CPU here.
        lines.close();
        child.stdout!.resume();
      } catch {
        // Not a line that says where the server listens.
      }
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
  });
  return { child, port };
}

/** CPU time (user and system, every thread) a process has used so far, in ms (Linux). */
export function processCpuMs(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, counted from after the command name (which may hold spaces).
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
