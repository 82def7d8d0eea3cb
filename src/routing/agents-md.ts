// Review rules come from `AGENTS.md` files: the `## Code Review Rules` section of the AGENTS.md nearest to a
// changed file (its own directory, then each parent up to the repository root) applies to that file.
// The files are read from the PR's base branch by the caller, so a PR cannot rewrite the rules it is
// reviewed against.

export const AGENTS_MD = "AGENTS.md";
export const CODE_REVIEW_RULES_HEADING = "Code Review Rules";

export interface ReviewRuleSet {
  /** Path of the AGENTS.md the rules come from (`AGENTS.md`, `packages/api/AGENTS.md`). */
  agentsPath: string;
  /** The section's content, without its heading. */
  rules: string;
  /** Changed files these rules apply to, in input order. */
  files: string[];
}

export interface ResolvedReviewRules {
  /** One entry per AGENTS.md that governs at least one changed file, root first. */
  ruleSets: ReviewRuleSet[];
  /** Changed files no AGENTS.md with review rules covers. */
  unruled: string[];
}

function normalizePath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(\.\/|\/)+/, "");
}

/** Directories containing `path`, nearest first, ending with the root (""). */
function ancestorDirs(path: string): string[] {
  const parts = normalizePath(path).split("/").slice(0, -1);
  const dirs: string[] = [];
  for (let i = parts.length; i >= 0; i--) dirs.push(parts.slice(0, i).join("/"));
  return dirs;
}

function agentsPathIn(dir: string): string {
  return dir === "" ? AGENTS_MD : `${dir}/${AGENTS_MD}`;
}

const depth = (path: string) => path.split("/").length;

// Root first, then by path; plain code-unit order so the result never depends on the host's locale.
function byDepthThenPath(a: string, b: string): number {
  return depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Every AGENTS.md path that may govern one of the changed files (each ancestor directory), root first. */
export function agentsMdPathsFor(changedFiles: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const file of changedFiles) for (const dir of ancestorDirs(file)) paths.add(agentsPathIn(dir));
  return [...paths].sort(byDepthThenPath);
}

interface Heading {
  level: number;
  text: string;
}

function parseHeading(line: string): Heading | null {
  const m = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
  if (!m?.[1]) return null;
  return { level: m[1].length, text: (m[2] ?? "").trim() };
}

/**
 * The content of the `Code Review Rules` section (any heading level, case-insensitive), up to the next
 * heading of the same or a higher level. Headings inside code fences do not count. Null when the section is
 * missing or empty.
 */
export function extractCodeReviewRules(markdown: string): string | null {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  let fence: string | null = null;
  let section: { level: number; start: number } | null = null;
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMark = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== null) {
      if (
        fenceMark &&
        fenceMark[0] === fence[0] &&
        fenceMark.length >= fence.length &&
        !/\S/.test(line.trim().slice(fenceMark.length))
      ) {
        fence = null;
      }
      continue;
    }
    if (fenceMark) {
      fence = fenceMark;
      continue;
    }
    const heading = parseHeading(line);
    if (!heading) continue;
    if (section === null) {
      if (heading.text.toLowerCase() === CODE_REVIEW_RULES_HEADING.toLowerCase()) {
        section = { level: heading.level, start: i + 1 };
      }
    } else if (heading.level <= section.level) {
      end = i;
      break;
    }
  }
  if (section === null) return null;
  const rules = lines.slice(section.start, end).join("\n").trim();
  return rules === "" ? null : rules;
}

/**
 * For each changed file, the nearest AGENTS.md (closest directory first) that has review rules. An AGENTS.md
 * without the section does not hide a parent's rules. `agentsFiles` maps AGENTS.md paths to their content;
 * paths that were not found are simply absent.
 */
export function resolveReviewRules(
  changedFiles: readonly string[],
  agentsFiles: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): ResolvedReviewRules {
  const contents = new Map<string, string>();
  const entries = agentsFiles instanceof Map ? [...agentsFiles.entries()] : Object.entries(agentsFiles);
  for (const [path, content] of entries) contents.set(normalizePath(path), content);

  const rulesByPath = new Map<string, string | null>();
  const rulesOf = (agentsPath: string): string | null => {
    if (!rulesByPath.has(agentsPath)) {
      const content = contents.get(agentsPath);
      rulesByPath.set(agentsPath, content === undefined ? null : extractCodeReviewRules(content));
    }
    return rulesByPath.get(agentsPath) ?? null;
  };

  const sets = new Map<string, ReviewRuleSet>();
  const unruled: string[] = [];
  for (const file of changedFiles) {
    const governing = ancestorDirs(file)
      .map(agentsPathIn)
      .find((p) => rulesOf(p) !== null);
    if (governing === undefined) {
      unruled.push(file);
      continue;
    }
    const set = sets.get(governing) ?? { agentsPath: governing, rules: rulesOf(governing)!, files: [] };
    if (!set.files.includes(file)) set.files.push(file);
    sets.set(governing, set);
  }
  const ruleSets = [...sets.values()].sort((a, b) => byDepthThenPath(a.agentsPath, b.agentsPath));
  return { ruleSets, unruled };
}
