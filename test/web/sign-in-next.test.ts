import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureLocalWorkspace } from "../../src/workspace/workspaces";
import { sessionCookieFor } from "../helpers/sign-in";
import { createWorld, type World } from "../helpers/world";
import { seedAcme } from "../notify/acme";
import { browser } from "./browser";

// Where a sign-in lands (`next`) must stay on the hub whatever a link puts there: browsers drop tabs and
// newlines from a Location and read `\` as `/`, so a target that only looks like a path can leave the site.

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let hub: World;
afterEach(() => hub?.close());

const HUB = "http://hub.test";

const HOSTILE = [
  "/\t/evil.example",
  "/\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "https://evil.example",
  "https:evil.example",
  "HTTPS://evil.example/x",
  "//hub.test@evil.example",
  "http://hub.test@evil.example/",
  "/%0d%0aSet-Cookie:x",
  "/\r\nSet-Cookie: x=1",
  "/\0evil",
  "\0//evil.example",
  "javascript:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/tasks/\u2028x",
  "",
];

/** The browser's reading of a Location: resolved against the page's own address, as a redirect is. */
function expectOnSite(res: Response, next: string) {
  expect(res.status, `next=${JSON.stringify(next)}`).toBeLessThan(500);
  const location = res.headers.get("location");
  if (location === null) return;
  expect(new URL(location, `${HUB}/sign-in`).origin, `next=${JSON.stringify(next)} → ${location}`).toBe(HUB);
  expect(location).toMatch(/^\/(?![/\\])/);
}

describe("where a sign-in lands", () => {
  it("local sign-in: every hostile next stays on the hub and never fails the request", async () => {
    hub = createWorld();
    await ensureLocalWorkspace(hub.deps);
    for (const next of HOSTILE) {
      const res = await browser(hub).submit("/sign-in", `/sign-in/local?next=${encodeURIComponent(next)}`);
      expect(res.status).toBe(302);
      expectOnSite(res, next);
    }
    const kept = await browser(hub).submit(
      "/sign-in",
      `/sign-in/local?next=${encodeURIComponent("/tasks/t_1?tab=log#end")}`,
    );
    expect(kept.headers.get("location")).toBe("/tasks/t_1?tab=log#end");
  });

  it("GET /sign-in when already signed in sends the browser on, but only within the hub", async () => {
    hub = createWorld({ env: { SLACK_BOT_TOKEN: "xoxb-live" } });
    await seedAcme(hub);
    const cookie = await sessionCookieFor(hub.deps, { provider: "slack", subject: "max@acme.test" });
    for (const next of HOSTILE) {
      const res = await hub.request(`/sign-in?next=${encodeURIComponent(next)}`, {
        headers: { cookie },
        redirect: "manual",
      });
      expect(res.status).toBe(302);
      expectOnSite(res, next);
    }
  });

  it("the OAuth callback sends the browser only to an on-site next kept with the state", async () => {
    hub = createWorld({
      env: {
        GITHUB_CLIENT_ID: "gh-client",
        GITHUB_CLIENT_SECRET: "gh-secret",
        GITHUB_API_URL: "http://github.test/api/v3",
      },
    });
    await seedAcme(hub);
    server.use(
      http.post("http://github.test/login/oauth/access_token", () =>
        HttpResponse.json({ access_token: "gho_max", token_type: "bearer" }),
      ),
      http.get("http://github.test/api/v3/user", () => HttpResponse.json({ login: "max-gh", name: null })),
    );
    for (const next of HOSTILE) {
      const b = browser(hub);
      const start = await b.get(`/sign-in/github?next=${encodeURIComponent(next)}`);
      expect(start.status).toBe(302);
      const state = new URL(start.headers.get("location")!).searchParams.get("state");
      const done = await b.get(`/sign-in/github/callback?code=c&state=${state}`);
      expect(done.status).toBe(302);
      expectOnSite(done, next);
    }
  });
});
