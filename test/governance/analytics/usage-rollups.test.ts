import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { World } from "../../helpers/world";
import {
  allPages,
  analytics,
  analyticsWorld,
  ask,
  cancel,
  DAY,
  NOON,
  OWNER,
  PEOPLE,
  rebuildFromMigration,
  runAll,
} from "./helpers";
import { expectedFromRaw } from "./oracle";

// The usage rollups are kept by the writes that create and end tasks; read back through the API they must say
// exactly what the raw task rows say, whatever happened in between: failures, cancellations, redeliveries,
// retries and tasks that end on another day than they started.

let world: World;
beforeEach(async () => {
  world = await analyticsWorld();
});
afterEach(() => world.close());

const [ann, ben, cat] = PEOPLE;
const first = Math.floor(NOON / DAY) - 1;
const last = first + 4;
const range = `start_time=${first * 86_400}&end_time=${(last + 1) * 86_400}`;

async function expectApiToMatchRawRows() {
  const expected = expectedFromRaw(world, "ws_local", first, last);
  expect(await allPages(world, "usage", range, 7)).toEqual(expected.usage);
  expect(await allPages(world, "code_reviews", range, 3)).toEqual(expected.codeReviews);
  expect(await allPages(world, "code_review_responses", range, 5)).toEqual(expected.responses);
  const cloud = await analytics(world, `/exports/cloud_users?${range}&format=json`);
  expect(cloud.body.data).toEqual(expected.cloud);
  const perMember = await analytics(world, `/exports/sessions_per_user?${range}&format=json`);
  expect(perMember.body.data).toEqual(expected.perMember);
  return expected;
}

/** A few mixed days of requests. */
async function mixedDays() {
  // Day 1: Slack requests in one thread, a redelivered one, a GitHub review, Linear, and the API with tokens.
  const slack = await ask(world, { member: ann, thread: "100", dedupeKey: "slack:event-1" });
  await ask(world, { member: ann, thread: "100", dedupeKey: "slack:event-1" });
  await ask(world, { member: ann, thread: "100", prompt: "and this fail" });
  await ask(world, { member: ben, surface: "github", kind: "review", thread: "7" });
  await ask(world, { member: ben, surface: "github", thread: "7", prompt: "tokens:1200" });
  await ask(world, { member: cat, surface: "linear", thread: "ENG-1" });
  await ask(world, { member: OWNER, surface: "api", prompt: "tokens:300" });
  world.clock.advance(90_000);
  await runAll(world);
  expect(world.task(slack.id).status).toBe("completed");

  // Day 2: the same thread again (no new session), a new thread, one cancelled before it runs, one that
  // starts today and ends tomorrow.
  world.clock.advance(DAY);
  await ask(world, { member: ann, thread: "100" });
  await ask(world, { member: ann, thread: "200", prompt: "tokens:50" });
  const dropped = await ask(world, { member: ben, surface: "slack", thread: "300" });
  await cancel(world, dropped.id);
  await runAll(world);
  await ask(world, { member: cat, surface: "linear", thread: "ENG-2", prompt: "tokens:7" });
  world.clock.set(Math.floor(world.clock.now() / DAY + 1) * DAY + 5_000);
  await runAll(world);
}

describe("usage rollups", () => {
  it("agree with the raw task rows after a mixed few days", async () => {
    await mixedDays();
    const expected = await expectApiToMatchRawRows();
    // And the figures are the ones a person would count by hand.
    const day1 = expected.usage.filter((r) => r.date === "2025-03-10");
    expect(day1.find((r) => r.surface === "slack")).toMatchObject({
      active_users: 1,
      tasks_started: 2,
      tasks_completed: 1,
      tasks_failed: 1,
      runs_finished: 2,
      run_duration_ms: 0,
      input_tokens: null,
    });
    expect(day1.find((r) => r.surface === "github")).toMatchObject({
      tasks_started: 1,
      reviews_started: 1,
      runs_with_usage: 1,
      input_tokens: 1200,
      cached_input_tokens: 10,
      output_tokens: 5,
    });
    const day2 = expected.usage.filter((r) => r.date === "2025-03-11");
    expect(day2.find((r) => r.surface === "slack")).toMatchObject({
      active_users: 2,
      tasks_started: 3,
      tasks_cancelled: 1,
    });
    // The Linear task asked for on day 2 ended on day 3.
    expect(expected.usage.find((r) => r.date === "2025-03-12" && r.surface === "linear")).toMatchObject({
      tasks_started: 0,
      tasks_completed: 1,
      input_tokens: 7,
    });
    expect(expected.cloud.find((r) => r.date === "2025-03-10")).toMatchObject({
      cloud_users: 4,
      tasks_started: 5,
    });
    expect(expected.perMember.filter((r) => r.member_id === ann)).toEqual([
      expect.objectContaining({ date: "2025-03-10", sessions: 1, messages: 2 }),
      expect.objectContaining({ date: "2025-03-11", sessions: 1, messages: 2 }),
    ]);
  });

  it("are what the migration's backfill computes from the raw rows of a hub that did not keep them", async () => {
    await mixedDays();
    const live = await allPages(world, "usage", range);
    expect(rebuildFromMigration(world)).toBeGreaterThan(10);
    await expectApiToMatchRawRows();
    expect(await allPages(world, "usage", range)).toEqual(live);
  });

  it("count a run's time from its last start, after a retry, and nothing for a lost race", async () => {
    const task = await ask(world, { member: ann, prompt: "flaky and slow" });
    await runAll(world);
    expect(world.task(task.id).status).toBe("queued");
    world.clock.advance(10_000);
    await runAll(world);
    expect(world.task(task.id).status).toBe("completed");
    // Cancelling a finished task changes nothing, in the task or in the analytics.
    await expect(cancel(world, task.id)).rejects.toThrow();
    await expectApiToMatchRawRows();
    const slack = (await allPages(world, "usage", range)).find(
      (r) => r.date === "2025-03-10" && r.surface === "slack",
    );
    expect(slack).toMatchObject({
      tasks_started: 1,
      tasks_completed: 1,
      tasks_cancelled: 0,
      runs_finished: 1,
      run_duration_ms: 60_000,
    });
  });
});
