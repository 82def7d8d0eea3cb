import type { RepoRef } from "../../clients/github/calls";
import type { Deps } from "../../deps";
import { agentsMdPathsFor, resolveReviewRules } from "../../routing/agents-md";
import { composeDiff } from "./diff";
import type { PullRequestDetails } from "./payloads";
import { readFileAt, readPullRequestFiles } from "./reads";

// What a review task is given: the pull request (base and head), its changed files with their diff, and
// the `## Code Review Rules` of the AGENTS.md files that govern them, read at the BASE commit so a pull
// request cannot rewrite the rules it is reviewed against.

/** AGENTS.md candidates read per review at most (each is one request); deeper ones are skipped. */
const MAX_AGENTS_FILES = 40;

export interface ReviewContext {
  pullRequest: Record<string, unknown>;
  changedFiles: string[];
  diff: string;
  reviewRules?: string;
  notes?: string;
}

async function reviewRules(
  deps: Deps,
  ref: RepoRef,
  files: string[],
  baseSha: string,
): Promise<string | undefined> {
  const paths = agentsMdPathsFor(files).slice(0, MAX_AGENTS_FILES);
  const contents = new Map<string, string>();
  // Sequential: a handful of small reads, and GitHub's secondary limits punish bursts.
  for (const path of paths) {
    const text = await readFileAt(deps, ref, path, baseSha);
    if (text !== null) contents.set(path, text);
  }
  const { ruleSets } = resolveReviewRules(files, contents);
  if (ruleSets.length === 0) return undefined;
  return ruleSets
    .map((set) => {
      const applies =
        set.files.length <= 20 ? set.files.map((f) => `\`${f}\``).join(", ") : `${set.files.length} files`;
      return `## From \`${set.agentsPath}\` (applies to ${applies})\n\n${set.rules}`;
    })
    .join("\n\n");
}

/** What a review is given from the event itself: no reads, so creating the review task stays cheap. */
export function pullRequestContext(ref: RepoRef, pr: PullRequestDetails): Record<string, unknown> {
  return {
    pullRequest: {
      repository: ref.repository,
      number: pr.number,
      title: pr.title,
      url: pr.htmlUrl,
      author: pr.authorLogin,
      base: { ref: pr.baseRef, sha: pr.baseSha },
      head: { ref: pr.headRef, sha: pr.headSha },
    },
  };
}

/**
 * What a review reads from GitHub: the changed files with their diff and the review rules at the base. Read
 * when a runner starts the review (prepareReviewTask), not when the event is processed: the inbox is not held
 * on GitHub's answers, and a review that waited in the queue gets the rules as they are when it runs.
 */
export async function readReviewChanges(
  deps: Deps,
  ref: RepoRef,
  prNumber: number,
  baseSha: string,
): Promise<Omit<ReviewContext, "pullRequest">> {
  const { files, complete } = await readPullRequestFiles(deps, ref, prNumber);
  const { diff, omitted } = composeDiff(files);
  const filenames = files.map((f) => f.filename);
  const rules = await reviewRules(deps, ref, filenames, baseSha);
  const notes: string[] = [];
  if (!complete) notes.push(`Only the first ${files.length} changed files are included.`);
  if (omitted.length > 0) notes.push(`The diff of ${omitted.length} file(s) was left out for size.`);
  return {
    changedFiles: files.map((f) => {
      const counts = typeof f.additions === "number" ? ` (+${f.additions}/-${f.deletions ?? 0})` : "";
      return `${f.status} ${f.filename}${counts}`;
    }),
    diff,
    ...(rules ? { reviewRules: rules } : {}),
    ...(notes.length > 0 ? { notes: notes.join(" ") } : {}),
  };
}

/** The request a review agent reads first. */
export function reviewPrompt(repository: string, pr: PullRequestDetails, focus?: string): string {
  const lines = [
    `Review pull request ${repository}#${pr.number} "${pr.title}": head ${pr.headSha.slice(0, 7)} (${pr.headRef}) onto ${pr.baseRef} (${pr.baseSha.slice(0, 7)}).`,
    "Find bugs, security problems and regressions this change introduces. Follow the repository's review rules when they are given. Report each problem as a finding on the line it concerns (side RIGHT for the new version, LEFT for a removed line), ranked P0 (must fix before merging) to P3 (nit).",
  ];
  if (focus) lines.push(`The requester asked to focus on: ${focus}`);
  return lines.join("\n\n");
}
