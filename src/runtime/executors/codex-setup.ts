import { copyFile, lstat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { policyRulesFile, teamConfigLimits } from "../../tasks/executors/team-config";
import type { TaskEnvironment } from "../../tasks/executors/types";
import { taskPlugins } from "../../tasks/plugins";
import type { Task } from "../../tasks/types";
import { prepareTaskSetup, writeRules, writeSkills } from "./team-setup";

// Node only: how the codex executor hands a task its plugin skills and its repository's Team Config. The Codex
// CLI finds skills in CODEX_HOME/skills and rules in CODEX_HOME/rules, so a task with any of them runs with its
// own CODEX_HOME next to its checkout (the operator's auth.json and config.toml copied in, so sign-in and model
// settings stay as they were). There the repository is not a trusted project, so the CLI does not load its
// `.codex/config.toml` by itself: the hub passes it as `--config` overrides, merged with the managed policy
// (team-config.ts), and the thread's own settings (sandbox, approvals, network) come after those and win.

export interface CodexSetup {
  /** The task's CODEX_HOME, when it has skills, rules or Team Config. */
  home?: string;
  /** The repository's config.toml as the policy lets it apply. */
  config?: Record<string, unknown>;
  /** Team Config narrowed the sandbox to read-only. */
  readOnly: boolean;
  notes: string[];
}

const codexHomeFiles = ["auth.json", "config.toml"];

export async function codexSetup(
  task: Task,
  environment: TaskEnvironment,
  checkout: string,
  workdir: string,
  env: Record<string, string>,
): Promise<CodexSetup> {
  const limits = teamConfigLimits(task.kind, environment);
  const setup = await prepareTaskSetup(taskPlugins(task), checkout, limits);
  const policyRules = policyRulesFile(limits.requirements);
  const config = setup.merged?.config;
  const result: CodexSetup = {
    ...(config ? { config } : {}),
    readOnly: config?.sandbox_mode === "read-only",
    notes: setup.notes,
  };
  if (setup.skills.length === 0 && !setup.team && !policyRules) return result;
  const home = join(workdir, "codex-home");
  await writeSkills(join(home, "skills"), setup);
  await writeRules(join(home, "rules"), setup, policyRules);
  const operatorHome = env.CODEX_HOME ?? join(env.HOME ?? homedir(), ".codex");
  for (const name of codexHomeFiles) {
    const from = join(operatorHome, name);
    if ((await lstat(from).catch(() => null))?.isFile()) await copyFile(from, join(home, name));
  }
  return { ...result, home };
}
