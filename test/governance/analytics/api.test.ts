import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectEnvelope } from "../../admin/helpers";
import type { World } from "../../helpers/world";
import { allPages, analytics, analyticsWorld, ask, DAY, NOON, PEOPLE, runAll } from "./helpers";

// The analytics API's requests: the range [start_time, end_time) in RFC 3339 or Unix seconds, holding the UTC
// days that start inside it; limit; the cursor; and the 400 envelope for anything else.

let world: World;
beforeEach(async () => {
  world = await analyticsWorld();
});
afterEach(() => world.close());

/** 2025-03-10, the day of NOON, as Unix seconds. */
const D = Date.UTC(2025, 2, 10) / 1000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

async function dates(query: string) {
  const res = await analytics(world, `/code_reviews?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body.data.map((r: any) => r.date);
}

describe("the range", () => {
  it("holds the days that start in [start_time, end_time): start inclusive, end exclusive", async () => {
    const days = ["2025-03-10", "2025-03-11", "2025-03-12"];
    // Aligned on days, in RFC 3339 and in Unix seconds: the same three days.
    expect(await dates(`start_time=${iso(D)}&end_time=${iso(D + 3 * 86_400)}`)).toEqual(days);
    expect(await dates(`start_time=${D}&end_time=${D + 3 * 86_400}`)).toEqual(days);
    expect(await dates("start_time=2025-03-10&end_time=2025-03-13")).toEqual(days);
    // One second later, the first day no longer starts inside the range; one second more at the end and the
    // next day does.
    expect(await dates(`start_time=${D + 1}&end_time=${D + 3 * 86_400 + 1}`)).toEqual([
      ...days.slice(1),
      "2025-03-13",
    ]);
    // Sub-second precision counts too.
    expect(await dates(`start_time=${iso(D)}&end_time=2025-03-12T00:00:00.001Z`)).toEqual([
      ...days.slice(0, 2),
      "2025-03-12",
    ]);
    expect(await dates(`start_time=2025-03-09T23:59:59.999Z&end_time=${D + 86_400}`)).toEqual(["2025-03-10"]);
    // Offsets are honoured: 02:00+02:00 is midnight UTC.
    expect(
      await dates("start_time=2025-03-10T02:00:00%2B02:00&end_time=2025-03-11T01:00:00%2B01:00"),
    ).toEqual(["2025-03-10"]);
    // A range inside one day holds no day start: no rows.
    expect(await dates(`start_time=${D + 60}&end_time=${D + 3600}`)).toEqual([]);
  });

  it("puts each row's day on it as a date and as Unix seconds", async () => {
    const res = await analytics(world, `/usage?start_time=${D}&end_time=${D + 86_400}`);
    expect(res.body.data[0]).toMatchObject({
      date: "2025-03-10",
      start_time: D,
      end_time: D + 86_400,
      surface: "slack",
    });
    expect(res.body.data.map((r: any) => r.surface)).toEqual(["slack", "github", "linear", "api"]);
  });

  it("defaults to the 30 days before now, today included", async () => {
    const all = await dates("");
    expect(all).toHaveLength(30);
    expect(all.at(-1)).toBe("2025-03-10");
    expect(all[0]).toBe("2025-02-09");
  });

  it("counts an event on the UTC day it happened, whatever the time of day", async () => {
    world.clock.set(Date.UTC(2025, 2, 10, 23, 59, 59, 999));
    await ask(world, { surface: "github", member: PEOPLE[0] });
    world.clock.set(Date.UTC(2025, 2, 11));
    await ask(world, { surface: "github", member: PEOPLE[0] });
    const rows = (await allPages(world, "usage", `start_time=${D}&end_time=${D + 2 * 86_400}`)).filter(
      (r) => r.surface === "github",
    );
    expect(rows.map((r) => [r.date, r.tasks_started, r.active_users])).toEqual([
      ["2025-03-10", 1, 1],
      ["2025-03-11", 1, 1],
    ]);
  });
});

describe("bad requests get a 400 envelope naming the parameter", () => {
  it.each([
    ["start_time=yesterday", "start_time"],
    ["start_time=2025-13-01T00:00:00Z", "start_time"],
    ["start_time=2025-02-30", "start_time"],
    ["start_time=2025-03-01T24:00:00Z", "start_time"],
    ["start_time=2025-03-01T10:00:00", "start_time"],
    ["start_time=-86400", "start_time"],
    ["start_time=1e9", "start_time"],
    ["end_time=99999999999999", "end_time"],
    ["start_time=1741600000&end_time=1741600000", "start_time"],
    ["start_time=2025-03-10&end_time=2025-03-01", "start_time"],
    ["limit=0", "limit"],
    ["limit=1001", "limit"],
    ["limit=ten", "limit"],
    ["limit=10.5", "limit"],
    ["page=not-a-cursor!", "page"],
    ["page=dXNhZ2UuMjAxNDguMw", "page"],
  ])("%s", async (query, parameter) => {
    const res = await analytics(world, `/code_reviews?${query}`);
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "bad_request");
    expect(res.body.error.details).toEqual({ parameter });
    expect(res.body.error.message).toContain(`\`${parameter}\``);
  });

  it("accepts a limit up to 1,000 (default 100)", async () => {
    const range = `start_time=${D - 400 * 86_400}&end_time=${D}`;
    expect((await analytics(world, `/usage?${range}`)).body.data).toHaveLength(100);
    const full = await analytics(world, `/usage?${range}&limit=1000`);
    expect(full.body.data).toHaveLength(1000);
    expect(full.body.has_more).toBe(true);
  });
});

describe("paging", () => {
  it("walks the range with the cursor: each row once, none missed, while requests keep arriving", async () => {
    const start = D - 4 * 86_400;
    const range = `start_time=${start}&end_time=${D + 86_400}`;
    const seen: string[] = [];
    const figures = new Map<string, number>();
    let page: string | null = null;
    let pages = 0;
    do {
      const res = await analytics(world, `/usage?${range}&limit=7${page ? `&page=${page}` : ""}`);
      expect(res.status, res.text).toBe(200);
      for (const row of res.body.data) {
        seen.push(`${row.date}/${row.surface}`);
        figures.set(`${row.date}/${row.surface}`, row.tasks_started);
      }
      page = res.body.next_page;
      expect(res.body.has_more).toBe(page !== null);
      pages++;
      // Between two pages: requests on a day already read, on the day being read, on days still to come,
      // and on a surface that sorts before the cursor, each making rows that had no figures before.
      world.clock.set(NOON - 4 * DAY);
      await ask(world, { surface: "api" });
      world.clock.set(NOON - (pages % 5) * DAY);
      await ask(world, { surface: "slack" });
      await ask(world, { surface: "linear" });
      world.clock.set(NOON);
      await ask(world, { surface: "github" });
    } while (page);
    const grid = [4, 3, 2, 1, 0].flatMap((back) =>
      ["slack", "github", "linear", "api"].map(
        (s) => `${new Date(NOON - back * DAY).toISOString().slice(0, 10)}/${s}`,
      ),
    );
    expect(seen).toEqual(grid);
    expect(pages).toBe(3);
    // Rows read after the writes show them; the last page was read after every write to today's github row
    // but the last.
    expect(figures.get("2025-03-10/github")).toBe(pages - 1);
  });

  it("continues after the cursor's row when the limit cuts a day, for every endpoint", async () => {
    await ask(world, { surface: "linear" });
    await runAll(world);
    for (const endpoint of ["usage", "code_reviews", "code_review_responses"]) {
      const range = `start_time=${D - 2 * 86_400}&end_time=${D + 86_400}`;
      const whole = (await analytics(world, `/${endpoint}?${range}`)).body.data;
      for (const limit of [1, 3, 5]) {
        expect(await allPages(world, endpoint, range, limit), `${endpoint} by ${limit}`).toEqual(whole);
      }
    }
  });

  it("answers an empty last page with has_more false and no cursor", async () => {
    const res = await analytics(world, `/code_reviews?start_time=${D}&end_time=${D + 86_400}`);
    expect(res.body).toEqual({
      data: [expect.objectContaining({ date: "2025-03-10" })],
      has_more: false,
      next_page: null,
    });
  });
});
