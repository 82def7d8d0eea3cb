import type { PullRequestFile } from "../../replies/github-review";

// A pull request's changed files as one unified diff: the agent reads it (the prompt shows it as a ```diff
// block), and the review publisher splits it back into files to anchor findings on exactly the lines the
// agent saw, even if the pull request moved on since.

const HEADER = "diff --git ";

function fileHeader(file: PullRequestFile): string[] {
  const oldPath = file.previous_filename ?? file.filename;
  const lines = [`${HEADER}a/${oldPath} b/${file.filename}`];
  if (file.status === "renamed" && file.previous_filename) {
    lines.push(`rename from ${file.previous_filename}`, `rename to ${file.filename}`);
  }
  lines.push(file.status === "added" ? "--- /dev/null" : `--- a/${oldPath}`);
  lines.push(file.status === "removed" ? "+++ /dev/null" : `+++ b/${file.filename}`);
  return lines;
}

/**
 * Joins the files' patches into one diff, at most `maxChars` long. A file whose patch does not fit (or that
 * has none: binary, too large) is listed with a note instead, so the agent knows it exists.
 */
export function composeDiff(
  files: readonly PullRequestFile[],
  maxChars = 150_000,
): { diff: string; omitted: string[] } {
  const parts: string[] = [];
  const omitted: string[] = [];
  let size = 0;
  for (const file of files) {
    const header = fileHeader(file).join("\n");
    const patch = file.patch?.replace(/\n$/, "") ?? "";
    const full = patch ? `${header}\n${patch}` : `${header}\n# (no text diff: binary or too large)`;
    if (size + full.length + 1 > maxChars) {
      // Headers stay (they are short and the file count is bounded), so the agent still sees every file.
      omitted.push(file.filename);
      parts.push(`${header}\n# (diff left out: the pull request is too large to show whole)`);
      continue;
    }
    parts.push(full);
    size += full.length + 1;
  }
  return { diff: parts.join("\n"), omitted };
}

const pathAfter = (line: string, prefix: string): string | null => {
  const rest = line.slice(prefix.length);
  if (rest === "/dev/null") return null;
  return rest.replace(/^[ab]\//, "");
};

/** The inverse of composeDiff: one PullRequestFile per `diff --git` section. */
export function splitDiff(diff: string): PullRequestFile[] {
  const files: PullRequestFile[] = [];
  const sections = diff.replace(/\r\n?/g, "\n").split(/^(?=diff --git )/m);
  for (const section of sections) {
    if (!section.startsWith(HEADER)) continue;
    const lines = section.replace(/\n$/, "").split("\n");
    let oldPath: string | null | undefined;
    let newPath: string | null | undefined;
    let renameFrom: string | undefined;
    let hunkStart = -1;
    for (const [i, line] of lines.entries()) {
      if (line.startsWith("@@")) {
        hunkStart = i;
        break;
      }
      if (line.startsWith("--- ")) oldPath = pathAfter(line, "--- ");
      else if (line.startsWith("+++ ")) newPath = pathAfter(line, "+++ ");
      else if (line.startsWith("rename from ")) renameFrom = line.slice("rename from ".length);
    }
    const filename = newPath ?? oldPath;
    if (!filename) continue;
    const status =
      oldPath === null ? "added" : newPath === null ? "removed" : renameFrom ? "renamed" : "modified";
    files.push({
      filename,
      status,
      patch: hunkStart === -1 ? null : lines.slice(hunkStart).join("\n"),
      ...(renameFrom ? { previous_filename: renameFrom } : {}),
    });
  }
  return files;
}
