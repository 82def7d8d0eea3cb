import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { members } from "../../../src/db/schema/access";
import { expectEnvelope } from "../../admin/helpers";
import type { World } from "../../helpers/world";
import { analytics, analyticsWorld, ask, DAY, NOON, PEOPLE, runAll } from "./helpers";

// The five data exports of the product, as files: their columns, CSV as spreadsheets read it, JSON with the
// same rows, and the limits of a request.

let world: World;
beforeEach(async () => {
  world = await analyticsWorld();
});
afterEach(() => world.close());

const D = Date.UTC(2025, 2, 10) / 1000;
const range = `start_time=${D - 86_400}&end_time=${D + 86_400}`;

const COLUMNS = {
  code_review_users: "date,review_users,reviews,reviews_completed",
  code_review_findings:
    "date,comments,reactions,replies,positive,negative,neutral,findings_p0,findings_p1,findings_p2,findings_p3",
  cloud_users: "date,cloud_users,tasks_started,tasks_completed",
  cli_vscode_users: "date,cli_users,vscode_users",
  sessions_per_user: "date,member_id,email,sessions,messages",
};

describe("data exports", () => {
  it("each has its documented columns, one row per day (per active member for sessions)", async () => {
    await ask(world, { member: PEOPLE[0] });
    await ask(world, { member: PEOPLE[1], surface: "linear" });
    await runAll(world);
    for (const [name, header] of Object.entries(COLUMNS)) {
      const csv = await analytics(world, `/exports/${name}?${range}`);
      expect(csv.status, name).toBe(200);
      expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(csv.headers.get("content-disposition")).toBe(
        `attachment; filename="codex-${name}-ws_local-2025-03-09_2025-03-10.csv"`,
      );
      const lines = csv.text.split("\r\n");
      expect(lines[0], name).toBe(header);
      expect(lines.at(-1)).toBe("");
      const json = await analytics(world, `/exports/${name}?${range}&format=json`);
      expect(json.headers.get("content-disposition")).toContain(`.json"`);
      expect(json.body).toMatchObject({ export: name, start_time: D - 86_400, end_time: D + 86_400 });
      expect(json.body.columns.join(",")).toBe(header);
      for (const row of json.body.data) expect(Object.keys(row).join(","), name).toBe(header);
      // The CSV holds the same rows as the JSON.
      expect(lines.slice(1, -1)).toEqual(
        json.body.data.map((row: any) => json.body.columns.map((c: string) => row[c] ?? "").join(",")),
      );
    }
    const cloud = await analytics(world, `/exports/cloud_users?${range}`);
    expect(cloud.text).toBe(
      "date,cloud_users,tasks_started,tasks_completed\r\n2025-03-09,0,0,0\r\n2025-03-10,2,2,2\r\n",
    );
    const sessions = await analytics(world, `/exports/sessions_per_user?${range}`);
    expect(sessions.text).toBe(
      "date,member_id,email,sessions,messages\r\n2025-03-10,mem_ann,ann@analytics.test,1,1\r\n2025-03-10,mem_ben,ben@analytics.test,1,1\r\n",
    );
    // Local clients never reach the hub: the CLI and VS Code figures are there, and zero.
    const local = await analytics(world, `/exports/cli_vscode_users?${range}`);
    expect(local.text).toBe("date,cli_users,vscode_users\r\n2025-03-09,0,0\r\n2025-03-10,0,0\r\n");
  });

  it("quotes what needs quoting and keeps spreadsheets from reading text as a formula", async () => {
    await world.database.db
      .update(members)
      .set({ email: '=HYPERLINK("http://evil.test","x"),@ann' })
      .where(eq(members.id, PEOPLE[0]));
    await ask(world, { member: PEOPLE[0] });
    const res = await analytics(world, `/exports/sessions_per_user?${range}`);
    expect(res.text.split("\r\n")[1]).toBe(
      `2025-03-10,mem_ann,"'=HYPERLINK(""http://evil.test"",""x""),@ann",1,1`,
    );
  });

  it("refuses a range over a year, an unknown export and an unknown format", async () => {
    const long = await analytics(world, `/exports/cloud_users?start_time=${D - 367 * 86_400}&end_time=${D}`);
    expect(long.status).toBe(400);
    expectEnvelope(long.body, "bad_request");
    expect(long.body.error.message).toContain("at most 366 days");
    const year = await analytics(world, `/exports/cloud_users?start_time=${D - 366 * 86_400}&end_time=${D}`);
    expect(year.status).toBe(200);
    for (const path of [
      "/exports/everything",
      "/exports/cloud_users?format=xlsx",
      "/exports/cloud_users?end_time=soon",
    ]) {
      const res = await analytics(world, path);
      expect(res.status, path).toBe(400);
      expect(res.body.error.requestId).toEqual(expect.any(String));
    }
  });

  it("covers the last 30 days by default", async () => {
    world.clock.set(NOON + DAY);
    const res = await analytics(world, "/exports/cloud_users?format=json");
    expect(res.body.data).toHaveLength(30);
    expect(res.body.data.at(-1).date).toBe("2025-03-11");
  });
});
