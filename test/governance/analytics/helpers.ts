import { readFileSync } from "node:fs";
import { join } from "node:path";
import { members } from "../../../src/db/schema/access";
import { manualClock } from "../../../src/lib/clock";
import { migrationsFolder } from "../../../src/runtime/node-db";
import { ExecutorError } from "../../../src/tasks/executors/types";
import { cancelTask, createTask } from "../../../src/tasks/service";
import type { TaskKind, TaskOrigin, TaskUsage } from "../../../src/tasks/types";
import type { ApiScope } from "../../../src/workspace/api-key-scopes";
import { LOCAL_OWNER_ID, LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { storedKey } from "../../admin/helpers";
import { createWorld, type World } from "../../helpers/world";

// A hub for the analytics tests: the local workspace with three more members, a clock the test moves, and an
// agent whose answer each task's prompt decides (`fail` fails it, `flaky` cannot start the first time,
// `slow` takes a minute, `tokens:<n>` reports usage). Requests are
// made through createTask, the one way every surface starts a task, and run by the real runner.

export const WS = LOCAL_WORKSPACE_ID;
export const OWNER = LOCAL_OWNER_ID;
export const PEOPLE = ["mem_ann", "mem_ben", "mem_cat"] as const;
/** 2025-03-10 12:00 UTC: day 20157. */
export const NOON = Date.UTC(2025, 2, 10, 12);
export const DAY = 86_400_000;

export async function analyticsWorld(): Promise<World> {
  const tried = new Set<string>();
  const world = createWorld({
    clock: manualClock(NOON),
    agent: (task) => {
      if (task.prompt.includes("fail")) throw new Error("the agent gave up");
      // `flaky`: the agent cannot be started the first time (the runner queues the task again).
      if (task.prompt.includes("flaky") && !tried.has(task.id)) {
        tried.add(task.id);
        throw new ExecutorError("no sandbox available", true);
      }
      world.clock.advance(task.prompt.includes("slow") ? 60_000 : 0);
      const tokens = /tokens:(\d+)/.exec(task.prompt);
      const usage: TaskUsage | undefined = tokens
        ? { inputTokens: Number(tokens[1]), cachedInputTokens: 10, outputTokens: 5 }
        : undefined;
      return { answer: "Done.", ...(usage ? { usage } : {}) };
    },
  });
  await world.ready;
  const now = world.clock.now();
  await world.database.db.insert(members).values(
    PEOPLE.map((id) => ({
      id,
      workspaceId: WS,
      email: `${id.slice(4)}@analytics.test`,
      createdAt: now,
      updatedAt: now,
    })),
  );
  return world;
}

let requests = 0;

export function originFor(surface: TaskOrigin["surface"], thread = "1"): TaskOrigin {
  switch (surface) {
    case "slack":
      return {
        surface,
        teamId: "T1",
        channel: "C1",
        threadTs: thread,
        messageTs: `${thread}.${++requests}`,
        externallyShared: false,
      };
    case "github":
      return { surface, installationId: 1, repository: "Acme/Web", prNumber: Number(thread) };
    case "linear":
      return {
        surface,
        organizationId: "org",
        issueId: `issue-${thread}`,
        agentSessionId: null,
        commentId: null,
      };
    default:
      return { surface: "api" };
  }
}

export interface Ask {
  surface?: TaskOrigin["surface"];
  member?: string;
  kind?: TaskKind;
  prompt?: string;
  thread?: string;
  dedupeKey?: string;
}

/** A request, as a surface makes it, at the clock's current time. Returns the task. */
export async function ask(world: World, request: Ask = {}) {
  const { task } = await createTask(world.deps, {
    workspaceId: WS,
    requesterMemberId: request.member ?? OWNER,
    origin: originFor(request.surface ?? "slack", request.thread),
    environmentId: null,
    kind: request.kind ?? "task",
    title: "Analytics test task",
    prompt: request.prompt ?? "Fix it",
    dedupeKey: request.dedupeKey ?? `test:${++requests}:${Math.random()}`,
  });
  return task;
}

/** Runs every queued task to its end, at the clock's current time. */
export const runAll = (world: World) => world.taskRunner.drain();

export const cancel = (world: World, id: string) => cancelTask(world.deps, id, { admin: true });

const keys = new WeakMap<World, Map<string, string>>();

/** A key holding `scopes`, made on first use and kept for the world. */
export async function keyFor(world: World, scopes: ApiScope[]): Promise<string> {
  const kept = keys.get(world) ?? new Map<string, string>();
  keys.set(world, kept);
  const name = scopes.join(",");
  if (!kept.has(name)) kept.set(name, await storedKey(world, scopes));
  return kept.get(name)!;
}

/** Calls the analytics API of the local workspace with a key holding `scopes` (default `analytics.read`). */
export async function analytics(world: World, path: string, scopes: ApiScope[] = ["analytics.read"]) {
  const key = await keyFor(world, scopes);
  const res = await world.request(`/api/v1/analytics/codex/workspaces/${WS}${path}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: type.includes("json") ? (JSON.parse(text) as any) : null,
  };
}

/** Every row of an endpoint for a range, following next_page. */
export async function allPages(world: World, endpoint: string, query: string, limit = 1000) {
  const rows: any[] = [];
  let page: string | null = null;
  do {
    const res = await analytics(
      world,
      `/${endpoint}?${query}&limit=${limit}${page ? `&page=${encodeURIComponent(page)}` : ""}`,
    );
    if (res.status !== 200) throw new Error(`${endpoint}: ${res.status} ${res.text}`);
    rows.push(...res.body.data);
    page = res.body.next_page;
  } while (page);
  return rows;
}

/**
 * Rebuilds the rollups the way an upgraded hub first gets them: emptied, then filled by the backfill
 * statements of the migration that created them, from the raw rows alone.
 */
export function rebuildFromMigration(world: World) {
  const sql = readFileSync(join(migrationsFolder, "0006_analytics_rollups.sql"), "utf8");
  const statements = sql.split("--> statement-breakpoint");
  const backfill = statements.slice(statements.findIndex((s) => s.includes("-- Backfill")));
  const { sqlite } = world.database;
  for (const table of ["usage_daily", "workspace_daily", "findings_daily", "member_daily", "seen"]) {
    sqlite.exec(`DELETE FROM analytics_${table}`);
  }
  sqlite.exec("UPDATE github_review_feedback SET counted = 0");
  for (const statement of backfill) sqlite.exec(statement);
  return backfill.length;
}
