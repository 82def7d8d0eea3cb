import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  analyticsFindingsDaily,
  analyticsUsageDaily,
  analyticsWorkspaceDaily,
} from "../../src/db/schema/analytics";
import { dayOf } from "../../src/governance/analytics/days";
import { LOCAL_WORKSPACE_ID } from "../../src/workspace/workspaces";
import { createWorld, type World } from "../helpers/world";
import { freePort, keepScreenshot, launchChromium, serveHub } from "./chromium";

// The analytics dashboards in Chromium: charts drawn by the server, a date range chosen with the keyboard
// (with and without JavaScript), the numbers in tables, the exports downloaded, on a desktop and on a phone.

let hub: World;
let browser: Browser;
let server: { url: string; close: () => Promise<void> };

/** Two months of a busy workspace, written straight into the daily rollups (the figures are not under test). */
async function seedDashboards(world: World) {
  const today = dayOf(world.clock.now());
  const ws = LOCAL_WORKSPACE_ID;
  const wave = (day: number, base: number, swing: number) =>
    Math.max(0, Math.round(base + swing * Math.sin(day / 3)));
  const weekday = (day: number) => ((day + 4) % 7 < 5 ? 1 : 0.3);
  const usage = [];
  const daily = [];
  const findings = [];
  for (let day = today - 59; day <= today; day++) {
    const busy = weekday(day);
    for (const [surface, base] of [
      ["slack", 14],
      ["github", 9],
      ["linear", 5],
      ["api", 1],
    ] as const) {
      const started = Math.round(wave(day, base * 2, base / 2) * busy);
      usage.push({
        workspaceId: ws,
        day,
        surface,
        activeUsers: Math.round(wave(day, base, base / 3) * busy),
        tasksStarted: started,
        tasksCompleted: Math.round(started * 0.85),
        tasksFailed: Math.round(started * 0.1),
        reviewsStarted: surface === "github" ? Math.round(wave(day, 12, 4) * busy) : 0,
      });
    }
    daily.push({
      workspaceId: ws,
      day,
      cloudUsers: Math.round(wave(day, 22, 5) * busy),
      reviews: Math.round(wave(day, 12, 4) * busy),
      automaticReviews: Math.round(wave(day, 10, 3) * busy),
      requestedReviews: Math.round(2 * busy),
      reviewUsers: Math.round(wave(day, 8, 2) * busy),
      reviewsPublished: Math.round(wave(day, 8, 3) * busy),
      reviewsClean: Math.round(3 * busy),
    });
    for (const priority of [0, 1, 2, 3]) {
      findings.push({
        workspaceId: ws,
        day,
        priority,
        findings: Math.round(wave(day + priority, [1, 6, 4, 2][priority]!, 2) * busy),
        comments: Math.round(wave(day + priority, [1, 5, 3, 1][priority]!, 2) * busy),
        reactionsPositive: Math.round(wave(day, 4 - priority, 2) * busy),
        reactionsNegative: Math.round(wave(day + 1, 1, 1) * busy),
        reactionsNeutral: Math.round(busy),
        repliesPositive: Math.round(wave(day + 2, 2, 1) * busy),
        repliesNegative: priority === 2 ? 1 : 0,
        repliesNeutral: Math.round(busy),
      });
    }
  }
  const { db } = world.database;
  await db.insert(analyticsUsageDaily).values(usage);
  await db.insert(analyticsWorkspaceDaily).values(daily);
  await db.insert(analyticsFindingsDaily).values(findings);
}

beforeAll(async () => {
  const port = await freePort();
  hub = createWorld({ env: { PUBLIC_URL: `http://127.0.0.1:${port}` } });
  await hub.ready;
  await seedDashboards(hub);
  server = await serveHub(hub, port);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  hub?.close();
});

async function signIn(page: Page) {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel("API key").fill(hub.secrets.adminToken);
  await page.getByRole("button", { name: "Sign in with the key" }).click();
  await page.waitForURL(`${server.url}/`);
}

const date = (daysAgo: number) => new Date(hub.clock.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

describe("the analytics dashboards in Chromium", () => {
  it("draws the five charts with their titles, descriptions and tables", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page);
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Analytics" }).click();
    await page.waitForURL(`${server.url}/analytics`);
    const charts = page.getByRole("img");
    expect(
      await charts.evaluateAll((svgs) => svgs.map((s) => s.querySelector("title")?.textContent)),
    ).toEqual([
      "Daily users by surface",
      "Daily code reviews and review users",
      "Code review findings by priority",
      "Code review feedback by sentiment",
      "Daily cloud tasks and cloud users",
    ]);
    // The accessible name is the title and the description together: the chart in words.
    const users = page.getByRole("img", { name: /Daily users by surface/ });
    expect(await users.getAttribute("aria-labelledby")).toBe("users-title users-desc");
    expect(await page.locator("#users-desc").textContent()).toMatch(
      /^Daily lines, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\. Slack: most on \d{4}-\d\d-\d\d \(\d+\);/,
    );
    expect(await page.locator("#priority-desc").textContent()).toMatch(
      /^Stacked daily bars, .*\. P0: \d+ in all, most on/,
    );
    // 30 days by default: one table row per day.
    const table = page.getByRole("table", { name: /Daily users by surface/ });
    expect(await table.isVisible()).toBe(false);
    await page.getByText("Data table: Daily users by surface").click();
    expect(await table.locator("tbody tr").count()).toBe(30);
    await keepScreenshot(page, "analytics");
    await context.close();
  });

  it("takes a date range from the keyboard, and works without JavaScript", async () => {
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      await signIn(page).catch(async () => {
        // Without JavaScript the sign-in form still posts; the redirect lands on the overview.
        await page.waitForURL(`${server.url}/`);
      });
      await page.goto(`${server.url}/analytics`);
      await page.getByLabel("From", { exact: true }).fill(date(6));
      await page.getByLabel("To", { exact: true }).fill(date(0));
      // Enter in a date field submits the form, as in any form.
      await page.getByLabel("To", { exact: true }).press("Enter");
      await page.waitForURL(`${server.url}/analytics?from=${date(6)}&to=${date(0)}`);
      const rows = page.locator("details", { hasText: "Data table: Daily cloud tasks" }).locator("tbody tr");
      expect(await rows.count()).toBe(7);
      // The button works from the keyboard too.
      await page.getByLabel("From", { exact: true }).fill(date(13));
      await page.getByRole("button", { name: "Show" }).focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(`${server.url}/analytics?from=${date(13)}&to=${date(0)}`);
      expect(await rows.count()).toBe(14);
      // A summary opens its table from the keyboard.
      await page.locator("summary", { hasText: "Data table: Daily cloud tasks" }).focus();
      await page.keyboard.press("Enter");
      expect(await page.getByRole("table", { name: /Daily cloud tasks/ }).isVisible()).toBe(true);
      await context.close();
    }
  });

  it("downloads the exports of the range shown", async () => {
    const page = await browser.newPage();
    await signIn(page);
    await page.goto(`${server.url}/analytics?from=${date(2)}&to=${date(0)}`);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Cloud users and tasks, CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`codex-cloud_users-ws_local-${date(2)}_${date(0)}.csv`);
    const href = await page
      .getByRole("link", { name: "Code review findings and feedback, JSON" })
      .getAttribute("href");
    const json = await (await page.request.get(`${server.url}${href}`)).json();
    expect(json.data.map((r: { date: string }) => r.date)).toEqual([date(2), date(1), date(0)]);
    await page.close();
  });

  it("fits a phone's screen", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page);
    await page.goto(`${server.url}/analytics?from=${date(89)}&to=${date(0)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const widths = await page
      .getByRole("img")
      .evaluateAll((svgs) => svgs.map((s) => s.getBoundingClientRect().width));
    for (const width of widths) expect(width).toBeGreaterThan(300);
    await keepScreenshot(page, "analytics.phone");
    await context.close();
  });
});
