import { and, asc, eq } from "drizzle-orm";
import { preparedQuery } from "../db/prepared";
import { reviewTriggerChoices } from "../db/schema/people";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { auditQuery } from "../governance/audit";
import { REVIEW_TRIGGERS, type ReviewTrigger } from "../routing/review-triggers";
import { getRepoReviewSettings, repositoryKey } from "./github-settings";
import { requireMember } from "./members";

// A member's own choice of when Codex reviews their pull requests in a repository (opened, ready for review,
// every push...), always within what the repository allows: a trigger the repository does not enable is
// refused, naming the ones it does, rather than stored and silently never firing. Every change is audited.

type D = Pick<Deps, "database" | "clock">;

export interface ReviewTriggerChoice {
  repository: string;
  /** Empty: the member turned automatic reviews of their pull requests off in this repository. */
  triggers: ReviewTrigger[];
  updatedBy: string;
  updatedAt: number;
}

const known = (list: readonly string[]): ReviewTrigger[] => REVIEW_TRIGGERS.filter((t) => list.includes(t));

const choiceRow = preparedQuery((db, v: { workspaceId: string; memberId: string; repository: string }) =>
  db
    .select()
    .from(reviewTriggerChoices)
    .where(
      and(
        eq(reviewTriggerChoices.workspaceId, v.workspaceId),
        eq(reviewTriggerChoices.memberId, v.memberId),
        eq(reviewTriggerChoices.repository, v.repository),
      ),
    )
    .limit(1),
);

export async function getReviewTriggerChoice(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  memberId: string,
  repository: string,
): Promise<ReviewTriggerChoice | null> {
  const key = repositoryKey(repository);
  const [row] = await choiceRow(deps.database.db).all({ workspaceId, memberId, repository: key });
  return row
    ? { repository: key, triggers: known(row.triggers), updatedBy: row.updatedBy, updatedAt: row.updatedAt }
    : null;
}

export async function listReviewTriggerChoices(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  memberId: string,
): Promise<ReviewTriggerChoice[]> {
  const rows = await deps.database.db
    .select()
    .from(reviewTriggerChoices)
    .where(
      and(eq(reviewTriggerChoices.workspaceId, workspaceId), eq(reviewTriggerChoices.memberId, memberId)),
    )
    .orderBy(asc(reviewTriggerChoices.repository));
  return rows.map((row) => ({
    repository: row.repository,
    triggers: known(row.triggers),
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
  }));
}

/** The sentence that refuses triggers a repository does not allow; exported so every surface says the same. */
export function notAllowedMessage(repository: string, refused: string[], allowed: readonly string[]): string {
  const list = (l: readonly string[]) => l.join(", ");
  return `${repository} does not allow ${list(refused)} as a review trigger; it allows ${allowed.length > 0 ? list(allowed) : "no automatic trigger"}. Choose among those, or ask a Codex Admin to change the repository's triggers.`;
}

/**
 * Sets the member's triggers for a repository (empty: off). Triggers the repository does not enable, or that
 * are not review triggers at all, are refused with a 400 naming what the repository allows.
 */
export async function setReviewTriggerChoice(
  deps: D,
  input: {
    workspaceId: string;
    memberId: string;
    repository: string;
    triggers: readonly string[];
    actor: string;
  },
): Promise<ReviewTriggerChoice> {
  await requireMember(deps, input.workspaceId, input.memberId);
  const repo = await getRepoReviewSettings(deps, input.workspaceId, input.repository);
  const allowed = repo.settings.triggers;
  const wanted = [...new Set(input.triggers.map((t) => t.trim().toLowerCase()))];
  const refused = wanted.filter((t) => !(allowed as readonly string[]).includes(t));
  if (refused.length > 0) {
    throw new AppError("invalid_body", notAllowedMessage(repo.repository, refused, allowed), {
      repository: repo.repository,
      refused,
      allowed,
    });
  }
  const triggers = known(wanted);
  const before = await getReviewTriggerChoice(deps, input.workspaceId, input.memberId, repo.repository);
  const now = deps.clock.now();
  const audit = auditQuery(deps, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "github.review_triggers.update",
    target: `${input.memberId} ${repo.repository}`,
    before: before ? { triggers: before.triggers } : null,
    after: { triggers },
  });
  await deps.database.batch([
    deps.database.db
      .insert(reviewTriggerChoices)
      .values({
        workspaceId: input.workspaceId,
        memberId: input.memberId,
        repository: repo.repository,
        triggers,
        updatedBy: input.actor,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [
          reviewTriggerChoices.workspaceId,
          reviewTriggerChoices.memberId,
          reviewTriggerChoices.repository,
        ],
        set: { triggers, updatedBy: input.actor, updatedAt: now },
      }),
    ...audit.queries,
  ]);
  return { repository: repo.repository, triggers, updatedBy: input.actor, updatedAt: now };
}

/** Forgets the member's choice for a repository: the repository's own triggers apply again. */
export async function clearReviewTriggerChoice(
  deps: D,
  input: { workspaceId: string; memberId: string; repository: string; actor: string },
): Promise<ReviewTriggerChoice> {
  const before = await getReviewTriggerChoice(deps, input.workspaceId, input.memberId, input.repository);
  if (!before) {
    throw new AppError("not_found", `No review trigger choice for ${repositoryKey(input.repository)}.`);
  }
  await deps.database.batch([
    deps.database.db
      .delete(reviewTriggerChoices)
      .where(
        and(
          eq(reviewTriggerChoices.workspaceId, input.workspaceId),
          eq(reviewTriggerChoices.memberId, input.memberId),
          eq(reviewTriggerChoices.repository, before.repository),
        ),
      ),
    ...auditQuery(deps, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: "github.review_triggers.clear",
      target: `${input.memberId} ${before.repository}`,
      before: { triggers: before.triggers },
    }).queries,
  ]);
  return before;
}
