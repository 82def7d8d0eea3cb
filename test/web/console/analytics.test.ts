import { afterEach, describe, expect, it } from "vitest";
import { adminClient, storedKey } from "../../admin/helpers";
import { analyticsWorld, ask, runAll } from "../../governance/analytics/helpers";
import type { World } from "../../helpers/world";
import { browser } from "../browser";
import { consolePeople } from "./people";

// /analytics in the console: who sees it, the charts drawn on the server from the rollups (each an image
// with a title, a description and a data table), the date range form, and the export links.

let hub: World;
afterEach(() => hub?.close());

const charts = (html: string) =>
  [...html.matchAll(/<svg viewBox="[^"]+" role="img" aria-labelledby="(\w+)-title \1-desc"/g)].map(
    (m) => m[1],
  );

describe("the analytics page", () => {
  it("is for owners and Codex Admins; members get a 403 page and no link to it", async () => {
    hub = await analyticsWorld();
    const people = await consolePeople(hub);
    for (const who of [people.owner, people.admin, people.key]) {
      const page = await who.get("/analytics");
      expect(page.status).toBe(200);
      expect(page.headers.get("cache-control")).toBe("no-store");
      expect(await page.text()).toContain("<h1>Analytics</h1>");
    }
    const refused = await people.member.get("/analytics");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Only workspace owners and Codex Admins can use this page");
    expect(await (await people.member.get("/")).text()).not.toContain('href="/analytics"');
    expect(await (await people.admin.get("/")).text()).toContain('href="/analytics"');
  });

  it("is refused to a session opened with an admin key that lacks analytics.read, as the API refuses that key", async () => {
    hub = await analyticsWorld();
    const key = await storedKey(hub, ["admin"]);
    const b = browser(hub);
    const signedIn = await b.post("/sign-in/key", { ...(await b.formFields("/sign-in")), key });
    expect(signedIn.status).toBe(302);
    expect((await b.get("/settings")).status).toBe(200);
    const page = await b.get("/analytics");
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("lacks the <code>analytics.read</code> scope");
    expect((await b.get("/api/v1/analytics/codex/workspaces/ws_local/usage")).status).toBe(403);
  });

  it("draws five charts from the rollups, each described in words and backed by a table", async () => {
    hub = await analyticsWorld();
    const people = await consolePeople(hub);
    await ask(hub, { surface: "slack" });
    await ask(hub, { surface: "linear", prompt: "fail" });
    await runAll(hub);
    const html = await (await people.owner.get("/analytics?from=2025-03-09&to=2025-03-10")).text();
    expect(charts(html)).toEqual(["users", "reviews", "priority", "sentiment", "cloud"]);
    expect(html).toContain('<title id="cloud-title">Daily cloud tasks and cloud users</title>');
    expect(html).toContain(
      '<desc id="cloud-desc">Daily lines, 2025-03-09 to 2025-03-10. Tasks asked for: 2 in all, most on 2025-03-10 (2); Tasks completed: 1 in all, most on 2025-03-10 (1); Cloud users: most on 2025-03-10 (1).</desc>',
    );
    expect(html).toContain("<summary>Data table: Daily cloud tasks and cloud users</summary>");
    expect(html).toContain('<th scope="row">2025-03-10</th><td>2</td><td>1</td><td>1</td>');
    expect(html).toContain("<dt>Tasks asked for</dt><dd>2</dd>");
    // No script anywhere: the page works the same without JavaScript.
    expect(html).not.toMatch(/<script/i);
  });

  it("takes its range from a GET form, says what is wrong with a bad one and shows the last 30 days", async () => {
    hub = await analyticsWorld();
    const people = await consolePeople(hub);
    const html = await (await people.owner.get("/analytics")).text();
    expect(html).toContain('<form method="get" action="/analytics" class="row" aria-label="Date range">');
    expect(html).toContain('<input type="date" name="from" value="2025-02-09" required=""/>');
    expect(html).toContain('<input type="date" name="to" value="2025-03-10" required=""/>');
    expect(html).toContain('href="/analytics?from=2025-03-04&amp;to=2025-03-10"');
    for (const [query, says] of [
      ["from=2025-02-30&to=2025-03-10", "Dates are written YYYY-MM-DD"],
      ["from=2025-03-10&to=2025-03-01", "The first day comes after the last one"],
      ["from=2023-01-01&to=2025-03-10", "A range covers at most 366 days"],
    ]) {
      const page = await (await people.owner.get(`/analytics?${query}`)).text();
      expect(page, query).toContain(says);
      expect(page).toContain('value="2025-02-09"');
    }
  });

  it("links each export of the range shown, in the workspace shown", async () => {
    hub = await analyticsWorld();
    const people = await consolePeople(hub);
    const other = await adminClient(hub).ok("POST", "/workspaces", {
      name: "Second",
      ownerEmail: "admin@example.com",
    });
    const html = await (
      await people.owner.get(`/analytics?workspace=${other.id}&from=2025-03-01&to=2025-03-02`)
    ).text();
    expect(html).toContain(`<input type="hidden" name="workspace" value="${other.id}"/>`);
    const links = [...html.matchAll(/href="(\/api\/v1\/analytics[^"]+)"/g)].map((m) =>
      m[1]!.replaceAll("&amp;", "&"),
    );
    expect(links).toHaveLength(10);
    expect(links[0]).toBe(
      `/api/v1/analytics/codex/workspaces/${other.id}/exports/code_review_users?start_time=1740787200&end_time=1740960000&format=csv`,
    );
    for (const link of links) {
      const res = await people.owner.get(link);
      expect(res.status, link).toBe(200);
      expect(res.headers.get("content-disposition")).toContain("attachment");
    }
  });
});
