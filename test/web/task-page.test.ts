import { eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { members } from "../../src/db/schema/access";
import { webSessions } from "../../src/db/schema/sessions";
import { tasks } from "../../src/db/schema/tasks";
import { createTask } from "../../src/tasks/service";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { setTaskLimits } from "../../src/workspace/task-limits";
import { newWorkspaceQueries } from "../../src/workspace/workspaces";
import { createWorld, type World } from "../helpers/world";
import { seedAcme } from "../notify/acme";
import { type Browser, browser } from "./browser";
import { storeTask } from "./tasks";

const SLACK_API = "http://slack.test/api/";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Slack's OpenID Connect endpoints: each code stands for the person who signed in with it. */
function slackOidc(emails: Record<string, string>) {
  server.use(
    http.post(`${SLACK_API}openid.connect.token`, async ({ request }) => {
      const form = new URLSearchParams(await request.text());
      const code = form.get("code") ?? "";
      if (form.get("client_secret") !== "slack-client-secret" || !emails[code]) {
        return HttpResponse.json({ ok: false, error: "invalid_code" });
      }
      return HttpResponse.json({ ok: true, access_token: `xoxp-${code}`, id_token: "ignored" });
    }),
    http.post(`${SLACK_API}openid.connect.userInfo`, ({ request }) => {
      const code = (request.headers.get("authorization") ?? "").replace("Bearer xoxp-", "");
      return HttpResponse.json({ ok: true, email: emails[code], email_verified: true, name: code });
    }),
  );
}

const ANSWER = [
  "Rotated **both** keys.",
  "",
  "<script>alert('owned')</script>",
  "",
  "[click me](javascript:alert(1)) and [the docs](https://docs.acme.test/keys)",
].join("\n");

let hub: World;
let privateTask: string;
let publicTask: string;

beforeEach(async () => {
  hub = createWorld({
    env: {
      SLACK_CLIENT_ID: "slack-client-id",
      SLACK_CLIENT_SECRET: "slack-client-secret",
      SLACK_API_URL: SLACK_API,
    },
  });
  await seedAcme(hub);
  privateTask = await storeTask(hub, {
    workspaceId: "ws_acme",
    environmentId: "env_secret",
    requesterMemberId: "mem_olga",
    answer: ANSWER,
  });
  publicTask = await storeTask(hub, {
    workspaceId: "ws_acme",
    environmentId: "env_web",
    requesterMemberId: "mem_olga",
    answer: "Public answer.",
    title: "Tidy the web app",
  });
  slackOidc({ max: "max@acme.test", cleo: "Cleo@Acme.test", nobody: "nobody@else.test" });
});
afterEach(() => hub.close());

/** Goes through "Sign in with Slack" as the person the code names; returns the callback's response. */
async function signInWithSlack(b: Browser, code: string, next = "/") {
  const start = await b.get(`/sign-in/slack?next=${encodeURIComponent(next)}`);
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("location")!);
  expect(`${authorize.origin}${authorize.pathname}`).toBe("https://slack.com/openid/connect/authorize");
  expect(authorize.searchParams.get("redirect_uri")).toBe("http://hub.test/sign-in/slack/callback");
  expect(authorize.searchParams.get("scope")).toBe("openid email profile");
  return b.get(`/sign-in/slack/callback?code=${code}&state=${authorize.searchParams.get("state")}`);
}

describe("the task page", () => {
  it("sends an anonymous visitor to sign in, without saying whether the task exists", async () => {
    const b = browser(hub);
    for (const id of [privateTask, "tsk_missing"]) {
      const res = await b.get(`/tasks/${id}`);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent(`/tasks/${id}`)}`);
      expect(await res.text()).not.toContain("Rotate");
    }
  });

  it("answers 403 without task content to a member who cannot see the environment", async () => {
    const b = browser(hub);
    const signedIn = await signInWithSlack(b, "max", `/tasks/${privateTask}`);
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("location")).toBe(`/tasks/${privateTask}`);

    const res = await b.get(`/tasks/${privateTask}`);
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain("You do not have access to the environment secret.");
    for (const secret of ["Rotate the signing keys", "Rotated", "docs.acme.test", "pull/77", "npm test"]) {
      expect(html).not.toContain(secret);
    }
    // The same member sees tasks of environments visible to the whole workspace.
    const visible = await b.get(`/tasks/${publicTask}`);
    expect(visible.status).toBe(200);
    expect(await visible.text()).toContain("Public answer.");
  });

  it("shows the whole task to a collaborator, with the answer's Markdown rendered and sanitized", async () => {
    const b = browser(hub);
    await signInWithSlack(b, "cleo");
    const res = await b.get(`/tasks/${privateTask}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain("Rotate the signing keys and update the docs"); // prompt
    expect(html).toContain("completed");
    expect(html).toContain("Olga Owner"); // requester
    expect(html).toContain("secret (acme/secret)"); // environment
    expect(html).toContain("Reading the key rotation script"); // progress
    expect(html).toContain('href="https://github.test/acme/web/pull/77"'); // PR link
    expect(html).toContain("Rotated <strong>both</strong> keys.");
    expect(html).toContain(
      '<a href="https://docs.acme.test/keys" rel="nofollow noopener noreferrer">the docs</a>',
    );
    // No markup from the answer survives as markup, and no javascript: link is made.
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert('owned')&lt;/script&gt;");
    expect(html).not.toMatch(/href="javascript:/i);
  });

  it("says why a queued task waits and its place in line, as the runner would tell it", async () => {
    await setTaskLimits(hub.deps, "ws_acme", { maxRunning: 1 }, "test");
    const ask = async () =>
      (
        await createTask(hub.deps, {
          workspaceId: "ws_acme",
          requesterMemberId: "mem_olga",
          origin: { surface: "api" },
          environmentId: "env_web",
          kind: "task",
          title: "Queued work",
          prompt: "Do it",
          dedupeKey: `test:${crypto.randomUUID()}`,
        })
      ).task.id;
    const first = await ask();
    const second = await ask();
    const third = await ask();
    const b = browser(hub);
    await signInWithSlack(b, "max");
    expect(await (await b.get(`/tasks/${first}`)).text()).toContain(
      "No limit holds it: it starts as soon as the hub has a free runner.",
    );
    await hub.database.db.update(tasks).set({ status: "running" }).where(eq(tasks.id, first));
    expect(await (await b.get(`/tasks/${second}`)).text()).toContain(
      "Next in line; your workspace runs 1 task at a time.",
    );
    const html = await (await b.get(`/tasks/${third}`)).text();
    expect(html).toContain("Why it waits");
    expect(html).toContain("2nd in line; your workspace runs 1 task at a time.");
    // A task that is not waiting says nothing about it.
    expect(await (await b.get(`/tasks/${publicTask}`)).text()).not.toContain("Why it waits");
  });

  it("refuses a member of another workspace", async () => {
    const other = browser(hub);
    await hub.database.batch(
      newWorkspaceQueries(hub.deps, {
        id: "ws_other",
        name: "Other",
        owner: { id: "mem_zed", email: "nobody@else.test" },
      }),
    );
    await signInWithSlack(other, "nobody");
    const res = await other.get(`/tasks/${publicTask}`);
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain("You are not a member of the workspace this task belongs to.");
    expect(html).not.toContain("Public answer.");
  });
});

describe("sign-in and sessions", () => {
  it("sets a signed, HttpOnly, SameSite=Lax session cookie and keeps only its hash", async () => {
    const b = browser(hub);
    const res = await signInWithSlack(b, "cleo");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("hub_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    const [row] = await hub.database.db.select().from(webSessions);
    expect(row).toMatchObject({ provider: "slack", subject: "cleo@acme.test", revokedAt: null });
    const token = decodeURIComponent(b.jar.get("hub_session")!).split(".")[0]!;
    expect(row!.id).not.toContain(token);

    // A cookie with a forged signature is no session at all.
    b.jar.set("hub_session", `${token}.${"A".repeat(43)}%3D`);
    expect((await b.get(`/tasks/${privateTask}`)).status).toBe(302);
  });

  it("refuses someone Slack vouches for who is no member, and a callback whose state does not match", async () => {
    const b = browser(hub);
    const res = await signInWithSlack(b, "nobody");
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("No member has the email nobody@else.test.");
    expect(b.jar.has("hub_session")).toBe(false);

    await b.get("/sign-in/slack");
    const forged = await b.get("/sign-in/slack/callback?code=cleo&state=not-the-state");
    expect(forged.status).toBe(400);
    expect(b.jar.has("hub_session")).toBe(false);
  });

  it("ends the session on sign-out, even for a copy of the cookie", async () => {
    const b = browser(hub);
    await signInWithSlack(b, "cleo");
    const copy = b.snapshot();
    const out = await b.submit(`/tasks/${privateTask}`, "/sign-out");
    expect(out.status).toBe(302);
    expect(b.jar.has("hub_session")).toBe(false);
    b.restore(copy);
    expect((await b.get(`/tasks/${privateTask}`)).status).toBe(302);
  });

  it("ends the session when the member is deactivated", async () => {
    const b = browser(hub);
    await signInWithSlack(b, "cleo");
    expect((await b.get(`/tasks/${privateTask}`)).status).toBe(200);
    await hub.database.db.update(members).set({ status: "deactivated" }).where(eq(members.id, "mem_cleo"));
    await invalidateSnapshot(hub.deps, "ws_acme");
    const res = await b.get(`/tasks/${privateTask}`);
    expect(res.status).toBe(302);
    expect((await hub.database.db.select().from(webSessions))[0]!.revokedAt).not.toBeNull();
    // Reactivation does not bring the old session back.
    await hub.database.db.update(members).set({ status: "active" }).where(eq(members.id, "mem_cleo"));
    expect((await b.get(`/tasks/${privateTask}`)).status).toBe(302);
  });
});
