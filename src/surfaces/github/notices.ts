import { and, eq } from "drizzle-orm";
import { commentOnPullRequest, type RepoRef } from "../../clients/github/calls";
import { githubPrNotices } from "../../db/schema/github";
import type { Deps } from "../../deps";
import { insertedRow, outboundQuery } from "../../outbox/enqueue";

// Why Codex will not act, said once per pull request: a public conversation must not fill up with the same
// refusal, and someone without access must not be able to make the App comment at will. Only the reason is
// said; nothing the person wrote is repeated or passed on.

export const noticeKey = (repository: string, prNumber: number) =>
  `github:notice:${repository.toLowerCase()}#${prNumber}`;

export interface Notice {
  ref: RepoRef;
  prNumber: number;
  login: string;
  code: string;
  message: string;
  /** Audit id of the decision, so an admin can look it up. */
  decisionId?: string;
}

export function renderNotice(notice: Pick<Notice, "login" | "message" | "decisionId">): string {
  const ref = notice.decisionId
    ? `\n\n<sub>Reference for workspace admins: \`${notice.decisionId}\` (\`/codex explain ${notice.decisionId}\`). Codex says this once per pull request.</sub>`
    : "\n\n<sub>Codex says this once per pull request.</sub>";
  return `@${notice.login} ${notice.message}${ref}`;
}

/** Queues the explanation unless this pull request was already given one; returns whether it was queued. */
export async function tellOnce(deps: Deps, notice: Notice): Promise<boolean> {
  const repository = notice.ref.repository.toLowerCase();
  const { db } = deps.database;
  const [told] = await db
    .select({ code: githubPrNotices.code })
    .from(githubPrNotices)
    .where(and(eq(githubPrNotices.repository, repository), eq(githubPrNotices.prNumber, notice.prNumber)))
    .limit(1);
  if (told) return false;
  const results = await deps.database.batch([
    db
      .insert(githubPrNotices)
      .values({
        repository,
        prNumber: notice.prNumber,
        code: notice.code,
        login: notice.login,
        createdAt: deps.clock.now(),
      })
      .onConflictDoNothing(),
    outboundQuery(deps, {
      request: commentOnPullRequest(notice.ref, {
        issue_number: notice.prNumber,
        body: renderNotice(notice),
      }),
      dedupeKey: noticeKey(notice.ref.repository, notice.prNumber),
    }),
  ]);
  const queued = Boolean(insertedRow(results[1]));
  if (queued) deps.wakeOutbox();
  return queued;
}
