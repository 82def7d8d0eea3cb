import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { webSessions } from "../../src/db/schema/sessions";
import { ensureLocalWorkspace, LOCAL_WORKSPACE_ID } from "../../src/workspace/workspaces";
import { createWorld, type World } from "../helpers/world";
import { seedAcme } from "../notify/acme";
import { browser } from "./browser";
import { storeTask } from "./tasks";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let hub: World;
afterEach(() => hub?.close());

const GITHUB_API = "http://github.test/api/v3";

describe("Sign in with GitHub", () => {
  it("maps the OAuth user to the member who linked that login, and refuses a login nobody linked", async () => {
    hub = createWorld({
      env: { GITHUB_CLIENT_ID: "gh-client", GITHUB_CLIENT_SECRET: "gh-secret", GITHUB_API_URL: GITHUB_API },
    });
    await seedAcme(hub);
    const task = await storeTask(hub, {
      workspaceId: "ws_acme",
      environmentId: "env_web",
      requesterMemberId: "mem_max",
      answer: "Done on GitHub.",
    });
    server.use(
      http.post("http://github.test/login/oauth/access_token", async ({ request }) => {
        const body = (await request.json()) as { code: string; client_secret: string };
        if (body.client_secret !== "gh-secret")
          return HttpResponse.json({ error: "incorrect_client_credentials" });
        return HttpResponse.json({ access_token: `gho_${body.code}`, token_type: "bearer" });
      }),
      http.get(`${GITHUB_API}/user`, ({ request }) => {
        const login = (request.headers.get("authorization") ?? "").replace("Bearer gho_", "");
        return HttpResponse.json({ login, name: null });
      }),
    );

    const signIn = async (login: string) => {
      const b = browser(hub);
      const start = await b.get(`/sign-in/github?next=/tasks/${task}`);
      const authorize = new URL(start.headers.get("location")!);
      expect(`${authorize.origin}${authorize.pathname}`).toBe("http://github.test/login/oauth/authorize");
      expect(authorize.searchParams.get("client_id")).toBe("gh-client");
      const done = await b.get(
        `/sign-in/github/callback?code=${login}&state=${authorize.searchParams.get("state")}`,
      );
      return { b, done };
    };

    // GitHub logins are case-insensitive: Max linked "Max-GH".
    const max = await signIn("MAX-gh");
    expect(max.done.status).toBe(302);
    expect(max.done.headers.get("location")).toBe(`/tasks/${task}`);
    const page = await max.b.get(`/tasks/${task}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Done on GitHub.");

    const stranger = await signIn("octocat");
    expect(stranger.done.status).toBe(403);
    expect(await stranger.done.text()).toContain("The GitHub account octocat is not linked to any member.");
    expect(stranger.b.jar.has("hub_session")).toBe(false);
  });
});

describe("local sign-in", () => {
  it("signs in as the seeded owner in sandbox mode", async () => {
    hub = createWorld();
    expect(hub.deps.config.sandbox).toBe(true);
    await ensureLocalWorkspace(hub.deps);
    const task = await storeTask(hub, {
      workspaceId: LOCAL_WORKSPACE_ID,
      environmentId: null,
      requesterMemberId: "mem_local_owner",
      answer: "Sandbox answer.",
    });
    const b = browser(hub);
    const page = await b.get("/sign-in");
    expect(await page.text()).toContain("Sign in as the sandbox admin");
    const res = await b.submit("/sign-in", `/sign-in/local?next=/tasks/${task}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/tasks/${task}`);
    expect(await hub.database.db.select().from(webSessions)).toEqual([
      expect.objectContaining({ provider: "local", subject: "admin@example.com" }),
    ]);
    expect(await (await b.get(`/tasks/${task}`)).text()).toContain("Sandbox answer.");
  });

  it("does not exist outside sandbox mode, and next never leaves the hub", async () => {
    hub = createWorld({ env: { SLACK_BOT_TOKEN: "xoxb-live" } });
    expect(hub.deps.config.sandbox).toBe(false);
    await ensureLocalWorkspace(hub.deps);
    const b = browser(hub);
    expect((await b.post("/sign-in/local")).status).toBe(404);
    expect(await (await b.get("/sign-in")).text()).not.toContain("sandbox admin");
    expect(await hub.database.db.select().from(webSessions)).toEqual([]);

    hub.close();
    hub = createWorld();
    await ensureLocalWorkspace(hub.deps);
    for (const next of ["//evil.test/x", "https://evil.test", "/\\evil.test"]) {
      const res = await browser(hub).submit("/sign-in", `/sign-in/local?next=${encodeURIComponent(next)}`);
      expect(res.headers.get("location")).toBe("/");
    }
  });
});
