import type { TaskPlugins } from "../../access/task-plugins";

// Plugin skills as the files an agent reads. A plugin's skill is stored as one text (its instructions, the
// first line saying what it is for); Codex skills are directories holding a SKILL.md whose front matter has a
// `name` and a `description` (https://developers.openai.com/codex/skills). Every executor hands the same files
// on: the codex executor in its per-task CODEX_HOME/skills, the command executor under HUB_SKILLS_DIR, the
// http executor in its request body.

export interface SkillFile {
  plugin: { id: string; name: string };
  /** The skill's name as Codex shows it (`$name`). */
  name: string;
  /** Relative path, `<plugin>/<skill>/SKILL.md`. */
  path: string;
  content: string;
}

/** Lower-case letters, digits and dashes only, so a name is a safe path segment and a valid skill name. */
export function slug(text: string, fallback: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return s || fallback;
}

const yamlString = (text: string) => JSON.stringify(text);

export function skillFiles(plugins: TaskPlugins): SkillFile[] {
  const files: SkillFile[] = [];
  const pluginDirs = new Set<string>();
  for (const plugin of plugins.installed) {
    let dir = slug(plugin.name, "plugin");
    // Two plugins may slug alike; each keeps its own directory.
    if (pluginDirs.has(dir)) dir = `${dir}-${slug(plugin.id, "x")}`;
    pluginDirs.add(dir);
    const names = new Set<string>();
    plugin.skills.forEach((skill, i) => {
      const text = skill.trim();
      const firstLine = text.split("\n", 1)[0]!.trim();
      let name = slug(firstLine, `skill-${i + 1}`);
      if (names.has(name)) name = `${name}-${i + 1}`;
      names.add(name);
      const description = `${firstLine.slice(0, 500)} (from the ${plugin.name} plugin)`;
      files.push({
        plugin: { id: plugin.id, name: plugin.name },
        name,
        path: `${dir}/${name}/SKILL.md`,
        content: `---\nname: ${yamlString(name)}\ndescription: ${yamlString(description)}\n---\n\n${text}\n`,
      });
    });
  }
  return files;
}

/** One progress line naming what the task runs with, e.g. "Plugins: Sales (2 skills). Left out: …". */
export function pluginsSummary(plugins: TaskPlugins): string | null {
  if (plugins.installed.length === 0 && plugins.leftOut.length === 0) return null;
  const got = plugins.installed.map(
    (p) => `${p.name} (${p.skills.length} skill${p.skills.length === 1 ? "" : "s"})`,
  );
  const parts = [`Plugins: ${got.join(", ") || "none"}.`];
  if (plugins.leftOut.length > 0) {
    parts.push(`Left out: ${plugins.leftOut.map((p) => `${p.name} (${p.reason})`).join(", ")}.`);
  }
  return parts.join(" ");
}
