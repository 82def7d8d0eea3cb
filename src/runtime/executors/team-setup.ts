import { lstat, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { TaskPlugins } from "../../access/task-plugins";
import { pluginsSummary, type SkillFile, skillFiles } from "../../tasks/executors/skill-files";
import {
  describeOverrides,
  type MergedTeamConfig,
  mergeTeamConfig,
  parseTeamConfig,
  type TeamConfigLimits,
} from "../../tasks/executors/team-config";

// Node only: reads a checkout's Team Config (`.codex/config.toml`, `.codex/rules/*`, `.codex/skills/**`) and
// writes skill and rule files where an agent finds them. The checkout is the repository's content, which anyone
// with push access chose: only regular files inside `.codex/` are read (a symlink could point at the hub's own
// files), within small limits, so a repository cannot make the hub hand its secrets or a huge tree to an agent.

export interface TeamFile {
  /** Relative to its folder (`.codex/rules/` or `.codex/skills/`), `/`-separated. */
  path: string;
  content: string;
}

export interface TeamConfigFiles {
  /** The parsed `.codex/config.toml` (undefined when there is none or it is not valid TOML). */
  config?: Record<string, unknown>;
  configError?: string;
  rules: TeamFile[];
  skills: TeamFile[];
}

const maxFileBytes = 256 * 1024;
const maxFiles = 200;
const maxTotalBytes = 2 * 1024 * 1024;
const maxDepth = 6;

const totalBytes = (files: readonly TeamFile[]) => files.reduce((n, f) => n + f.content.length, 0);

async function regularFile(path: string): Promise<boolean> {
  const stat = await lstat(path).catch(() => null);
  return stat?.isFile() === true && stat.size <= maxFileBytes;
}

/** Regular files under `root` (never following a symlink), at most `maxFiles` of them. */
async function filesUnder(root: string, depth = 0, out: TeamFile[] = [], base = root): Promise<TeamFile[]> {
  const stat = await lstat(root).catch(() => null);
  if (!stat?.isDirectory() || depth > maxDepth) return out;
  const entries = await readdir(root, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (out.length >= maxFiles || totalBytes(out) >= maxTotalBytes) break;
    const path = join(root, entry.name);
    if (entry.isDirectory()) await filesUnder(path, depth + 1, out, base);
    else if (entry.isFile() && (await regularFile(path))) {
      out.push({ path: relative(base, path).split(sep).join("/"), content: await readFile(path, "utf8") });
    }
  }
  return out;
}

/** The checkout's Team Config, or null when it has no `.codex/` directory. */
export async function readTeamConfig(checkout: string): Promise<TeamConfigFiles | null> {
  const dir = join(checkout, ".codex");
  if (!(await lstat(dir).catch(() => null))?.isDirectory()) return null;
  const files: TeamConfigFiles = {
    rules: await filesUnder(join(dir, "rules")),
    skills: await filesUnder(join(dir, "skills")),
  };
  const configPath = join(dir, "config.toml");
  if (await regularFile(configPath)) {
    const parsed = parseTeamConfig(await readFile(configPath, "utf8"));
    if (parsed.ok) files.config = parsed.config;
    else files.configError = parsed.error;
  }
  return files;
}

/** What a task runs with besides its prompt: its plugin skills and its repository's Team Config, merged. */
export interface TaskSetup {
  skills: SkillFile[];
  team: TeamConfigFiles | null;
  merged: MergedTeamConfig | null;
  /** Progress lines saying what the agent got and what the policy replaced. */
  notes: string[];
}

export async function prepareTaskSetup(
  plugins: TaskPlugins,
  checkout: string | null,
  limits: TeamConfigLimits,
): Promise<TaskSetup> {
  const skills = skillFiles(plugins);
  const team = checkout ? await readTeamConfig(checkout) : null;
  const merged = team?.config ? mergeTeamConfig(team.config, limits) : null;
  const notes: string[] = [];
  const summary = pluginsSummary(plugins);
  if (summary) notes.push(summary);
  if (team) {
    const parts = [
      team.config ? ".codex/config.toml" : null,
      team.rules.length > 0 ? `${team.rules.length} rule file(s)` : null,
      team.skills.length > 0 ? `${team.skills.length} skill file(s)` : null,
    ].filter(Boolean);
    if (parts.length > 0) notes.push(`Team Config from the repository: ${parts.join(", ")}.`);
    if (team.configError) notes.push(`Team Config: ${team.configError}.`);
  }
  const overrides = merged ? describeOverrides(merged.overridden) : null;
  if (overrides) notes.push(overrides);
  return { skills, team, merged, notes };
}

async function writeFiles(root: string, files: readonly { path: string; content: string }[]) {
  for (const file of files) {
    const path = join(root, ...file.path.split("/"));
    // Paths come from the hub (slugs) or from filesUnder (relative, without `..`): still, never outside root.
    if (relative(root, path).startsWith("..")) continue;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content);
  }
}

/** Plugin skills at `<dir>/<plugin>/<skill>/SKILL.md`, the repository's own skills at `<dir>/team/...`. */
export async function writeSkills(dir: string, setup: TaskSetup): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFiles(dir, setup.skills);
  if (setup.team) await writeFiles(join(dir, "team"), setup.team.skills);
}

/** The repository's rule files, plus the managed policy's rules when given (those win: most restrictive). */
export async function writeRules(dir: string, setup: TaskSetup, policyRules: string | null): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (setup.team) await writeFiles(dir, setup.team.rules);
  if (policyRules) await writeFile(join(dir, "managed-policy.rules"), policyRules);
}
