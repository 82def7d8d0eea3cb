import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

export interface HubProcess {
  child: ChildProcess;
  url: string;
  /** Every stdout line (JSON logs and the first-start banner). */
  lines: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the real Node entry (`src/runtime/node.ts`) as `npm start` would, on a free port. */
export async function startHubProcess(env: Record<string, string>): Promise<HubProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/runtime/node.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", PORT: "0", HUB_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  child.stderr!.on("data", (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on("line", (line) => {
      lines.push(line);
      if (line.includes('"hub listening')) resolve(`http://127.0.0.1:${JSON.parse(line).port}`);
    });
    child.once("exit", (code) => reject(new Error(`hub exited with ${code} before listening:\n${stderr}`)));
  });
  return {
    child,
    url,
    lines,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await once(child, "exit");
    },
  };
}

/** Runs the entry to completion (for start-up failures) and returns its exit code and output. */
export async function runHubProcessUntilExit(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/runtime/node.ts"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => {
    stdout += c;
  });
  child.stderr.on("data", (c) => {
    stderr += c;
  });
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}
