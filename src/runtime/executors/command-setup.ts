import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { policyRulesFile, teamConfigLimits } from "../../tasks/executors/team-config";
import type { ExecutionContext } from "../../tasks/executors/types";
import { taskPlugins } from "../../tasks/plugins";
import type { Task } from "../../tasks/types";
import { prepareTaskSetup, writeSkills } from "./team-setup";

// Node only: what the command executor's agent gets besides its prompt, described in its environment
// (README, "Executor protocol"): HUB_SKILLS_DIR, a directory of skills (the task's plugin skills as
// `<plugin>/<skill>/SKILL.md`, the repository's `.codex/skills/` under `team/`), and HUB_TEAM_CONFIG, a JSON
// file with the repository's `.codex/config.toml` as the managed policy lets it apply, what the policy replaced,
// the rule files, and the policy's own rules. Both live outside the checkout, so nothing of them is committed.

export interface CommandSetup {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

const nothing: CommandSetup = { env: {}, cleanup: async () => {} };

export async function commandSetup(
  task: Task,
  context: ExecutionContext,
  cwd: string,
): Promise<CommandSetup> {
  const limits = teamConfigLimits(task.kind, context.environment);
  // Only a checkout has Team Config: an empty working directory has nothing to read.
  const setup = await prepareTaskSetup(taskPlugins(task), context.environment ? cwd : null, limits);
  for (const text of setup.notes) context.onProgress({ type: "status", text });
  const skills = setup.skills.length + (setup.team?.skills.length ?? 0);
  if (skills === 0 && !setup.team) return nothing;
  const dir = await mkdtemp(join(tmpdir(), `codex-hub-setup-${task.id}-`));
  const env: Record<string, string> = {};
  if (skills > 0) {
    env.HUB_SKILLS_DIR = join(dir, "skills");
    await writeSkills(env.HUB_SKILLS_DIR, setup);
  }
  if (setup.team) {
    env.HUB_TEAM_CONFIG = join(dir, "team-config.json");
    const document = {
      source: ".codex/",
      config: setup.merged?.config ?? null,
      overridden: setup.merged?.overridden ?? [],
      rules: setup.team.rules,
      policyRules: policyRulesFile(limits.requirements),
      ...(setup.team.configError ? { configError: setup.team.configError } : {}),
    };
    await writeFile(env.HUB_TEAM_CONFIG, JSON.stringify(document, null, 2));
  }
  return { env, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
