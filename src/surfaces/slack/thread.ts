import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import { conversationReplies } from "../../clients/slack/calls";
import { preparedWrite } from "../../db/prepared";
import { slackThreadMarks } from "../../db/schema/slack";
import { tasks } from "../../db/schema/tasks";
import type { BatchQuery } from "../../db/types";
import type { Deps } from "../../deps";
import { decodeSlackEntities } from "../../routing/slash-markup";
import { readSlack } from "./outbound";

// A mention in a thread gets the thread as context: fetched once per task with conversations.replies
// (rate-limited harder for non-Marketplace apps since 2025: https://api.slack.com/changelog/2025-05-terms-rate-limit-update-and-faq),
// capped, and with bot messages marked so the agent can tell its own earlier answers from people's words.

/** At most this many earlier messages (the thread's first message always among them). */
export const THREAD_MAX_MESSAGES = 50;
/** And at most this many characters of them; the oldest replies go first when it is exceeded. */
export const THREAD_MAX_CHARS = 20_000;
/** One page; Slack returns a thread oldest first. */
const FETCH_LIMIT = 200;

interface SlackMessageLike {
  ts?: unknown;
  user?: unknown;
  bot_id?: unknown;
  subtype?: unknown;
  text?: unknown;
}

export interface ThreadInput {
  teamId: string;
  enterpriseId: string | null;
  channel: string;
  threadTs: string;
  /** The mention itself: only messages before it are context (it is the request). */
  beforeTs: string;
  botUserId: string | null;
}

export interface ThreadContext {
  text: string;
  messages: number;
  /** Earlier messages left out to stay within the caps. */
  omitted: number;
}

function who(m: SlackMessageLike, botUserId: string | null): string {
  if (typeof m.user === "string" && m.user === botUserId) return "Codex (bot)";
  if (m.bot_id !== undefined || m.subtype === "bot_message") return "a bot";
  return typeof m.user === "string" ? `<@${m.user}>` : "someone";
}

/** The thread before the mention, as text for the agent; null when Slack would not give it. */
export async function fetchThreadContext(deps: Deps, input: ThreadInput): Promise<ThreadContext | null> {
  const target = {
    teamId: input.teamId,
    ...(input.enterpriseId ? { enterpriseId: input.enterpriseId } : {}),
  };
  const read = await readSlack(
    deps,
    conversationReplies(target, {
      channel: input.channel,
      ts: input.threadTs,
      limit: FETCH_LIMIT,
      inclusive: true,
    }),
  );
  if (!read.ok) {
    deps.logger.warn({ channel: input.channel, error: read.error }, "thread context unavailable");
    return null;
  }
  const all = (Array.isArray(read.data.messages) ? read.data.messages : []) as SlackMessageLike[];
  const before = all.filter((m) => typeof m.ts === "string" && Number(m.ts) < Number(input.beforeTs));
  const [first, ...rest] = before;
  if (!first) return { text: "", messages: 0, omitted: 0 };
  const line = (m: SlackMessageLike) =>
    `[${who(m, input.botUserId)}] ${decodeSlackEntities(typeof m.text === "string" ? m.text : "")}`;
  let kept = rest.slice(-(THREAD_MAX_MESSAGES - 1)).map(line);
  const head = line(first);
  let size = head.length + kept.reduce((n, l) => n + l.length + 1, 0);
  while (kept.length > 0 && size > THREAD_MAX_CHARS) {
    size -= (kept.shift() as string).length + 1;
  }
  const omitted = before.length - 1 - kept.length;
  if (omitted > 0) kept = [`[… ${omitted} earlier ${omitted === 1 ? "reply" : "replies"} left out]`, ...kept];
  const text = [head, ...kept].join("\n").slice(0, THREAD_MAX_CHARS + 200);
  return { text, messages: before.length - omitted, omitted };
}

const insertThreadMark = preparedWrite(
  (db, v: { workspaceId: string; teamId: string; channel: string; threadTs: string; now: number }) =>
    db
      .insert(slackThreadMarks)
      .values({
        teamId: v.teamId,
        channelId: v.channel,
        threadTs: v.threadTs,
        workspaceId: v.workspaceId,
        createdAt: v.now,
      })
      .onConflictDoNothing(),
);

/** Remembers that Codex was mentioned in a thread (idempotent), as a write for a batch. */
export function threadMarkQuery(
  deps: Pick<Deps, "database" | "clock">,
  mark: { workspaceId: string; teamId: string; channel: string; threadTs: string },
): BatchQuery {
  return insertThreadMark(deps.database, {
    workspaceId: mark.workspaceId,
    teamId: mark.teamId,
    channel: mark.channel,
    threadTs: mark.threadTs,
    now: deps.clock.now(),
  });
}

export async function isThreadMarked(
  deps: Pick<Deps, "database">,
  mark: { teamId: string; channel: string; threadTs: string },
): Promise<boolean> {
  const [row] = await deps.database.db
    .select({ ts: slackThreadMarks.threadTs })
    .from(slackThreadMarks)
    .where(
      and(
        eq(slackThreadMarks.teamId, mark.teamId),
        eq(slackThreadMarks.channelId, mark.channel),
        eq(slackThreadMarks.threadTs, mark.threadTs),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Where the thread's latest task ran: a follow-up in the thread goes on in the same environment unless it
 * names another. json_extract works alike on SQLite and D1; the workspace index narrows the scan.
 */
export async function threadEnvironment(
  deps: Pick<Deps, "database">,
  where: { workspaceId: string; channel: string; threadTs: string },
): Promise<string | null> {
  const [row] = await deps.database.db
    .select({ environmentId: tasks.environmentId })
    .from(tasks)
    .where(
      and(
        eq(tasks.workspaceId, where.workspaceId),
        isNotNull(tasks.environmentId),
        sql`json_extract(${tasks.origin}, '$.surface') = 'slack'`,
        sql`json_extract(${tasks.origin}, '$.channel') = ${where.channel}`,
        sql`json_extract(${tasks.origin}, '$.threadTs') = ${where.threadTs}`,
      ),
    )
    .orderBy(desc(tasks.createdAt))
    .limit(1);
  return row?.environmentId ?? null;
}
