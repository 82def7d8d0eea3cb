import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendProgress, listTaskEvents } from "../../src/tasks/service";
import { finishTask } from "../../src/tasks/transitions";
import { sessionCookieFor } from "../helpers/sign-in";
import { createWorld, type World } from "../helpers/world";
import { seedAcme, slackOrigin } from "../notify/acme";
import { type Browser, browser } from "./browser";
import { sseReader } from "./sse";
import { runningTask } from "./tasks";

// The task page while the task runs: its live events (Server-Sent Events) and what the page itself offers.

let hub: World;
beforeEach(async () => {
  hub = createWorld();
  await seedAcme(hub);
});
afterEach(() => hub.close());

/** A browser signed in as the member with this email (Slack sign-in). */
async function signedIn(email: string): Promise<Browser> {
  const b = browser(hub);
  const [name, value] = (await sessionCookieFor(hub.deps, { provider: "slack", subject: email })).split("=");
  b.jar.set(name!, value!);
  return b;
}

function events(b: Browser, id: string, headers: Record<string, string> = {}) {
  const cookie = [...b.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  return hub.request(`/tasks/${id}/events`, { headers: { cookie, ...headers } });
}

describe("GET /tasks/:id/events", () => {
  it("streams the task's steps and status, then its final state, and ends", async () => {
    const id = await runningTask(hub);
    await appendProgress(hub.deps, id, { type: "step", text: "Cloning acme/web" });
    const max = await signedIn("max@acme.test");

    const res = await events(max, id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const stream = sseReader(res);
    const first = await stream.until((e) => e.event === "status");
    expect(first.map((e) => e.event)).toEqual(["step", "status"]);
    expect(JSON.parse(first[0]!.data)).toMatchObject({ type: "step", text: "Cloning acme/web" });
    expect(first[0]!.id).toBe(String(JSON.parse(first[0]!.data).seq));
    expect(JSON.parse(first[1]!.data)).toMatchObject({ status: "running" });

    // A step written later (by whichever process runs the task) arrives at the next poll, then the end.
    await appendProgress(hub.deps, id, { type: "command", text: "$ npm test" });
    const step = await stream.until((e) => e.event === "step");
    expect(JSON.parse(step.at(-1)!.data)).toMatchObject({ type: "command", text: "$ npm test" });
    await finishTask(hub.deps, { id, kind: "task" }, { status: "completed", answer: "Fixed." });
    const rest = await stream.until((e) => e.event === "done");
    expect(rest.map((e) => e.event)).toEqual(["status", "done"]);
    expect(JSON.parse(rest.at(-1)!.data)).toMatchObject({ status: "completed" });
    expect(await stream.next()).toBeNull();
  }, 20_000);

  it("resumes after the step named by Last-Event-ID", async () => {
    const id = await runningTask(hub);
    await appendProgress(hub.deps, id, { type: "step", text: "one" });
    await appendProgress(hub.deps, id, { type: "step", text: "two" });
    await finishTask(hub.deps, { id, kind: "task" }, { status: "failed", error: "exit 1" });
    const [one] = await listTaskEvents(hub.deps, id);
    const max = await signedIn("max@acme.test");

    const stream = sseReader(await events(max, id, { "last-event-id": String(one!.seq) }));
    const all = await stream.until((e) => e.event === "done");
    expect(all.map((e) => [e.event, JSON.parse(e.data).text ?? JSON.parse(e.data).status])).toEqual([
      ["step", "two"],
      ["status", "failed"],
      ["done", "failed"],
    ]);
    expect(await stream.next()).toBeNull();
  });

  it("follows the page's rule: 401 signed out, 403 without access to the environment, 404 for no task", async () => {
    const secret = await runningTask(hub, { environmentId: "env_secret", requesterMemberId: "mem_cleo" });
    const anonymous = await hub.request(`/tasks/${secret}/events`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe("unauthorized");

    const max = await signedIn("max@acme.test");
    const refused = await events(max, secret);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain("flaky");
    expect((await events(max, "tsk_missing")).status).toBe(404);
    const cleo = await signedIn("cleo@acme.test");
    const allowed = await events(cleo, secret);
    expect(allowed.status).toBe(200);
    await allowed.body?.cancel();
  });
});

describe("the task page while the task runs", () => {
  it("loads its script, refreshes itself without JavaScript, and links back to where it was asked", async () => {
    const id = await runningTask(hub, { origin: slackOrigin() });
    await appendProgress(hub.deps, id, { type: "step", text: "Reading the test" });
    const max = await signedIn("max@acme.test");
    const res = await max.get(`/tasks/${id}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain("unsafe-inline'; script");
    const html = await res.text();
    expect(html).toContain('<noscript><meta http-equiv="refresh" content="5"/></noscript>');
    expect(html).toContain('<script src="/assets/task-page.js" defer=""></script>');
    expect(html).toMatch(
      /id="task" data-status="running" data-events="\/tasks\/[^"]+\/events" data-after="\d+"/,
    );
    expect(html).toContain("Reading the test");
    expect(html).toContain("Runs with");
    expect(html).toContain(
      'href="https://app.slack.com/client/T1/C_ORIGIN/thread/C_ORIGIN-1700000000.000100"',
    );
    expect(html).toContain('href="https://slack.com/app_redirect?team=T1&amp;channel=C_ORIGIN"');

    const script = await hub.request("/assets/task-page.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toContain("new EventSource(");
    expect((await hub.request("/assets/nothing.js")).status).toBe(404);
  });

  it("links a GitHub pull request and its comment, and a Linear issue", async () => {
    const max = await signedIn("max@acme.test");
    const pr = await runningTask(hub, {
      origin: {
        surface: "github",
        installationId: 77,
        repository: "acme/web",
        prNumber: 12,
        commentId: 345,
        commentSource: "review_comment",
      },
    });
    const prPage = await (await max.get(`/tasks/${pr}`)).text();
    expect(prPage).toContain('href="https://github.com/acme/web/pull/12"');
    expect(prPage).toContain('href="https://github.com/acme/web/pull/12#discussion_r345"');

    const issue = await runningTask(hub, {
      origin: {
        surface: "linear",
        organizationId: "org_1",
        issueId: "iss_1",
        agentSessionId: "ses_1",
        commentId: null,
      },
      context: { linearIssueUrl: "https://linear.app/acme/issue/ENG-123/fix-login" },
    });
    const issuePage = await (await max.get(`/tasks/${issue}`)).text();
    expect(issuePage).toContain('href="https://linear.app/acme/issue/ENG-123/fix-login"');
  });

  it("has no script and no refresh once the task has finished", async () => {
    const id = await runningTask(hub);
    await finishTask(hub.deps, { id, kind: "task" }, { status: "completed", answer: "Done." });
    const res = await (await signedIn("max@acme.test")).get(`/tasks/${id}`);
    const html = await res.text();
    expect(html).not.toContain("http-equiv");
    expect(html).not.toContain("<script");
    expect(res.headers.get("content-security-policy")).not.toContain("script-src");
    expect(html).not.toContain("Cancel this task");
  });
});

describe("cancelling from the task page", () => {
  it("lets the person who asked cancel, with the page's form token", async () => {
    const id = await runningTask(hub);
    const max = await signedIn("max@acme.test");
    const page = await (await max.get(`/tasks/${id}`)).text();
    expect(page).toContain(`action="/tasks/${id}/cancel"`);
    const res = await max.post(`/tasks/${id}/cancel`, await max.formFields(`/tasks/${id}`));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/tasks/${id}`);
    expect(hub.task(id)).toMatchObject({ status: "cancelled", cancelledBy: "mem_max" });
    expect(hub.audit("task.cancel")).toEqual([
      expect.objectContaining({ actor: "member:mem_max", target: id, workspaceId: "ws_acme" }),
    ]);
    expect(await (await max.get(`/tasks/${id}`)).text()).not.toContain("Cancel this task");
  });

  it("lets a workspace owner cancel someone else's task", async () => {
    const id = await runningTask(hub);
    const olga = await signedIn("olga@acme.test");
    expect(await (await olga.get(`/tasks/${id}`)).text()).toContain("Cancel this task");
    const res = await olga.post(`/tasks/${id}/cancel`, await olga.formFields(`/tasks/${id}`));
    expect(res.status).toBe(303);
    expect(hub.task(id)).toMatchObject({ status: "cancelled", cancelledBy: "mem_olga" });
  });

  it("refuses another member, who sees no button, with a 403 page", async () => {
    const id = await runningTask(hub);
    const cleo = await signedIn("cleo@acme.test");
    const page = await (await cleo.get(`/tasks/${id}`)).text();
    expect(page).toContain("Fix the flaky login test");
    expect(page).not.toContain("Cancel this task");
    const res = await cleo.post(`/tasks/${id}/cancel`, await cleo.formFields(`/tasks/${id}`));
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Only the person who asked for this task, or a workspace admin");
    expect(hub.task(id).status).toBe("running");
    expect(hub.audit("task.cancel")).toEqual([]);
  });

  it("refuses a POST without this browser's form token, and sends a signed-out one to sign in", async () => {
    const id = await runningTask(hub);
    const max = await signedIn("max@acme.test");
    expect((await max.post(`/tasks/${id}/cancel`)).status).toBe(403);
    // A token of another browser's page does not go with this browser's cookie.
    const olga = await signedIn("olga@acme.test");
    const forged = await max.post(`/tasks/${id}/cancel`, await olga.formFields(`/tasks/${id}`));
    expect(forged.status).toBe(403);
    const anonymous = await browser(hub).post(`/tasks/${id}/cancel`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent(`/tasks/${id}`)}`);
    expect(hub.task(id).status).toBe("running");
  });

  it("answers 409 for a task that finished meanwhile", async () => {
    const id = await runningTask(hub);
    const max = await signedIn("max@acme.test");
    const fields = await max.formFields(`/tasks/${id}`);
    await finishTask(hub.deps, { id, kind: "task" }, { status: "completed", answer: "Done." });
    const res = await max.post(`/tasks/${id}/cancel`, fields);
    expect(res.status).toBe(409);
    expect(hub.task(id).status).toBe("completed");
  });
});
