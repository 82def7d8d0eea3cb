import { members } from "../../../src/db/schema/access";
import { githubReviewFeedback, githubReviewFindings, githubReviews } from "../../../src/db/schema/github";
import { conversationKey } from "../../../src/governance/analytics/rollup-tasks";
import type { TaskOrigin, TaskUsage } from "../../../src/tasks/types";
import type { World } from "../../helpers/world";

// What the analytics should say, computed the slow way from the raw rows the hub keeps (tasks, reviews,
// findings, feedback), with none of the rollup code: the rollups must agree with it, row for row.

const DAY = 86_400_000;
const dayOf = (ms: number) => Math.floor(ms / DAY);
const date = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const SURFACES = ["slack", "github", "linear", "api"];
const byBinary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

class Counter {
  private counts = new Map<string, number>();
  private sets = new Map<string, Set<string>>();
  add(key: string, n = 1) {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }
  distinct(key: string, value: string) {
    const set = this.sets.get(key) ?? new Set<string>();
    set.add(value);
    this.sets.set(key, set);
  }
  get = (key: string) => this.counts.get(key) ?? this.sets.get(key)?.size ?? 0;
}

export function expectedFromRaw(world: World, workspaceId: string, first: number, last: number) {
  const c = new Counter();
  const tasks = world.tasks().filter((t) => t.workspaceId === workspaceId);
  const sessions = new Map<string, number>();
  for (const t of [...tasks].sort((a, b) => a.createdAt - b.createdAt)) {
    const origin = JSON.parse(t.origin) as TaskOrigin;
    const s = origin.surface;
    const created = dayOf(t.createdAt);
    c.add(`${created}/${s}/${t.kind === "task" ? "tasks_started" : "reviews_started"}`);
    c.distinct(`${created}/${s}/active_users`, t.requesterMemberId);
    c.distinct(`${created}/cloud_users`, t.requesterMemberId);
    c.add(`${created}/${t.requesterMemberId}/messages`);
    const session = `${t.requesterMemberId}|${conversationKey(origin, t.id)}`;
    if (!sessions.has(session)) {
      sessions.set(session, created);
      c.add(`${created}/${t.requesterMemberId}/sessions`);
    }
    if (t.finishedAt === null || !["completed", "failed", "cancelled"].includes(t.status)) continue;
    const ended = dayOf(t.finishedAt);
    if (t.kind === "task") c.add(`${ended}/${s}/tasks_${t.status}`);
    if (t.startedAt !== null) {
      c.add(`${ended}/${s}/runs_finished`);
      c.add(`${ended}/${s}/run_duration_ms`, t.finishedAt - t.startedAt);
    }
    if (t.usage) {
      const usage = JSON.parse(t.usage) as TaskUsage;
      c.add(`${ended}/${s}/runs_with_usage`);
      c.add(`${ended}/${s}/input_tokens`, usage.inputTokens ?? 0);
      c.add(`${ended}/${s}/cached_input_tokens`, usage.cachedInputTokens ?? 0);
      c.add(`${ended}/${s}/output_tokens`, usage.outputTokens ?? 0);
    }
  }
  for (const r of world.rows(githubReviews).filter((r) => r.workspaceId === workspaceId)) {
    const created = dayOf(r.createdAt);
    c.add(`${created}/reviews`);
    c.add(`${created}/${r.trigger.startsWith("mention:") ? "requested" : "automatic"}_reviews`);
    c.distinct(`${created}/review_users`, r.requesterMemberId);
    if (r.status === "pending" || r.finishedAt === null) continue;
    const outcome = { published: "with_findings", clean: "clean", failed: "failed" }[r.status as string];
    c.add(`${dayOf(r.finishedAt)}/reviews_${outcome ?? "cancelled"}`);
  }
  for (const f of world.rows(githubReviewFindings).filter((f) => f.workspaceId === workspaceId)) {
    if (f.placement === "below_threshold") continue;
    c.add(`${dayOf(f.createdAt)}/P${f.priority}/findings`);
    if (f.placement === "inline") c.add(`${dayOf(f.createdAt)}/P${f.priority}/comments`);
  }
  for (const f of world.rows(githubReviewFeedback).filter((f) => f.workspaceId === workspaceId)) {
    c.add(
      `${dayOf(f.createdAt)}/P${f.priority}/${f.kind === "reaction" ? "reactions" : "replies"}_${f.sentiment}`,
    );
  }

  const days = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const span = (day: number) => ({ date: date(day), start_time: day * 86_400, end_time: (day + 1) * 86_400 });
  const usage = days.flatMap((day) =>
    SURFACES.map((s) => {
      const k = (name: string) => c.get(`${day}/${s}/${name}`);
      const reported = k("runs_with_usage");
      return {
        ...span(day),
        surface: s,
        active_users: k("active_users"),
        tasks_started: k("tasks_started"),
        tasks_completed: k("tasks_completed"),
        tasks_failed: k("tasks_failed"),
        tasks_cancelled: k("tasks_cancelled"),
        reviews_started: k("reviews_started"),
        runs_finished: k("runs_finished"),
        run_duration_ms: k("run_duration_ms"),
        runs_with_usage: reported,
        input_tokens: reported ? k("input_tokens") : null,
        cached_input_tokens: reported ? k("cached_input_tokens") : null,
        output_tokens: reported ? k("output_tokens") : null,
      };
    }),
  );
  const codeReviews = days.map((day) => {
    const k = (name: string) => c.get(`${day}/${name}`);
    return {
      ...span(day),
      reviews: k("reviews"),
      automatic_reviews: k("automatic_reviews"),
      requested_reviews: k("requested_reviews"),
      review_users: k("review_users"),
      reviews_completed: k("reviews_with_findings") + k("reviews_clean"),
      reviews_with_findings: k("reviews_with_findings"),
      reviews_clean: k("reviews_clean"),
      reviews_failed: k("reviews_failed"),
      reviews_cancelled: k("reviews_cancelled"),
      findings_p0: k("P0/findings"),
      findings_p1: k("P1/findings"),
      findings_p2: k("P2/findings"),
      findings_p3: k("P3/findings"),
    };
  });
  const responses = days.flatMap((day) =>
    [0, 1, 2, 3].map((p) => {
      const k = (name: string) => c.get(`${day}/P${p}/${name}`);
      const sentiments = ["positive", "negative", "neutral"] as const;
      const reactions = sentiments.map((s) => k(`reactions_${s}`));
      const replies = sentiments.map((s) => k(`replies_${s}`));
      return {
        ...span(day),
        priority: `P${p}`,
        comments: k("comments"),
        reactions: reactions.reduce((a, b) => a + b, 0),
        replies: replies.reduce((a, b) => a + b, 0),
        positive: reactions[0]! + replies[0]!,
        negative: reactions[1]! + replies[1]!,
        neutral: reactions[2]! + replies[2]!,
        reactions_positive: reactions[0],
        reactions_negative: reactions[1],
        reactions_neutral: reactions[2],
        replies_positive: replies[0],
        replies_negative: replies[1],
        replies_neutral: replies[2],
      };
    }),
  );
  const emails = new Map(world.rows(members).map((m) => [m.id, m.email]));
  const perMember = days.flatMap((day) =>
    [...new Set(tasks.filter((t) => dayOf(t.createdAt) === day).map((t) => t.requesterMemberId))]
      .map((member) => ({
        date: date(day),
        member_id: member,
        email: emails.get(member) ?? null,
        sessions: c.get(`${day}/${member}/sessions`),
        messages: c.get(`${day}/${member}/messages`),
      }))
      // As SQLite orders them: by email (binary, no email first), then id.
      .sort((a, b) => byBinary(a.email ?? "", b.email ?? "") || byBinary(a.member_id, b.member_id)),
  );
  const cloud = days.map((day) => ({
    date: date(day),
    cloud_users: c.get(`${day}/cloud_users`),
    tasks_started: SURFACES.reduce((n, s) => n + c.get(`${day}/${s}/tasks_started`), 0),
    tasks_completed: SURFACES.reduce((n, s) => n + c.get(`${day}/${s}/tasks_completed`), 0),
  }));
  return { usage, codeReviews, responses, perMember, cloud };
}
