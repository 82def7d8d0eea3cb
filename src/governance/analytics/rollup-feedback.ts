import { and, eq, type SQL, sql } from "drizzle-orm";
import { analyticsFindingsDaily } from "../../db/schema/analytics";
import { githubReviewFeedback } from "../../db/schema/github";
import type { BatchQuery, Db } from "../../db/types";
import { addToRollup, dayOfColumn, literal } from "./rollup-sql";

// The feedback rollups: reactions and replies to review comments, per day (the day each was made, or
// recorded when GitHub does not say) and priority, by sentiment. Feedback rows arrive in sets (every reaction
// of a comment at once, read back by the feedback loop), so each row carries `counted`: rows are inserted
// uncounted, and the same batch adds the uncounted rows of the finding to the rollup and marks them. A
// reaction withdrawn on GitHub is taken out of the rollup by the batch that deletes it.

const f = githubReviewFeedback;

function sumWhere(sign: 1 | -1, kind: "reaction" | "reply", sentiment: string): SQL {
  return sql`${literal(sign)} * sum(CASE WHEN ${f.kind} = ${kind} AND ${f.sentiment} = ${sentiment} THEN 1 ELSE 0 END)`;
}

function addRows(db: Db, sign: 1 | -1, where: SQL): BatchQuery {
  const day = dayOfColumn(f.createdAt);
  return addToRollup(
    db,
    analyticsFindingsDaily,
    { workspaceId: sql`${f.workspaceId}`, day, priority: sql`${f.priority}` },
    {
      reactionsPositive: sumWhere(sign, "reaction", "positive"),
      reactionsNegative: sumWhere(sign, "reaction", "negative"),
      reactionsNeutral: sumWhere(sign, "reaction", "neutral"),
      repliesPositive: sumWhere(sign, "reply", "positive"),
      repliesNegative: sumWhere(sign, "reply", "negative"),
      repliesNeutral: sumWhere(sign, "reply", "neutral"),
    },
    sql`FROM ${f} WHERE ${where} GROUP BY ${f.workspaceId}, ${day}, ${f.priority}`,
  );
}

/** To run after inserting a finding's feedback rows: counts the uncounted ones once, and marks them. */
export function countFeedback(db: Db, findingId: string): BatchQuery[] {
  const uncounted = and(eq(f.findingId, findingId), eq(f.counted, 0))!;
  return [addRows(db, 1, uncounted), db.update(f).set({ counted: 1 }).where(uncounted)];
}

/** To run just before deleting feedback rows (`where`): takes the counted ones out of the rollup. */
export const uncountFeedback = (db: Db, where: SQL): BatchQuery =>
  addRows(db, -1, and(where, eq(f.counted, 1))!);
