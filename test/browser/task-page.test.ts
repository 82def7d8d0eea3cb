import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendProgress } from "../../src/tasks/service";
import { finishTask } from "../../src/tasks/transitions";
import { sessionCookieFor } from "../helpers/sign-in";
import { createWorld, type World } from "../helpers/world";
import { seedAcme, slackOrigin } from "../notify/acme";
import { runningTask } from "../web/tasks";
import { freePort, keepScreenshot, launchChromium, serveHub } from "./chromium";

// The task page in Chromium while its task runs: the steps and the status follow the task without a reload,
// the page reloads once to show the answer, and without JavaScript it refreshes itself.

let hub: World;
let browser: Browser;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  const port = await freePort();
  hub = createWorld({ env: { PUBLIC_URL: `http://127.0.0.1:${port}` } });
  await seedAcme(hub);
  server = await serveHub(hub, port);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  hub?.close();
});

/** A browser context signed in as Max (a member who asked the tasks), as after "Sign in with Slack". */
async function signedInContext(options: Parameters<Browser["newContext"]>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  const [name, value] = (
    await sessionCookieFor(hub.deps, { provider: "slack", subject: "max@acme.test" })
  ).split("=");
  await context.addCookies([{ name: name!, value: value!, url: server.url }]);
  return context;
}

/**
 * Collects script errors, what the console reports (a policy violation, a blocked script) and failed loads, so
 * any of them fails the test. The browser's own request for /favicon.ico (the hub has none) is not the page's.
 */
function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      errors.push(message.text());
    }
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && new URL(response.url()).pathname !== "/favicon.ico") {
      errors.push(`${response.status()} ${response.url()}`);
    }
  });
  return errors;
}

describe("the task page in Chromium", () => {
  it("appends steps and shows the answer as the task runs and finishes, without a reload until then", async () => {
    const id = await runningTask(hub, { origin: slackOrigin() });
    await appendProgress(hub.deps, id, { type: "step", text: "Cloning acme/web" });
    const context = await signedInContext();
    const page = await context.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${server.url}/tasks/${id}`);
    // The script is running and following the task.
    await page.locator("#task-live").waitFor({ state: "visible" });
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });

    await appendProgress(hub.deps, id, { type: "command", text: "$ npm test -- login.spec.ts" });
    await page.getByText("$ npm test -- login.spec.ts").waitFor();
    expect(await page.locator("#task-steps li").count()).toBe(2);
    expect(await page.locator("#task-status").textContent()).toBe("running");
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );

    await finishTask(
      hub.deps,
      { id, kind: "task" },
      { status: "completed", answer: "The login test is green." },
    );
    await page.getByText("The login test is green.").waitFor();
    expect(await page.locator("#task-status").textContent()).toBe("completed");
    // It reloaded once to show the answer, and follows nothing more.
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
      undefined,
    );
    expect(await page.locator("#task-live").count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it("refreshes itself every few seconds without JavaScript, until the task has finished", async () => {
    const id = await runningTask(hub);
    const context = await signedInContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/tasks/${id}`);
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute("content")).toBe("5");
    expect(await page.locator("#task-live").isVisible()).toBe(false);

    await appendProgress(hub.deps, id, { type: "step", text: "Seen after the refresh" });
    await finishTask(
      hub.deps,
      { id, kind: "task" },
      { status: "failed", error: "The agent exited with code 1." },
    );
    await page.waitForEvent("framenavigated", { timeout: 15_000 });
    await page.getByText("Seen after the refresh").waitFor();
    expect(await page.locator("#task-status").textContent()).toBe("failed");
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    await context.close();
  }, 60_000);

  it("fits a phone and a desktop screen", async () => {
    const id = await runningTask(hub, {
      origin: {
        surface: "github",
        installationId: 77,
        repository: "acme/web",
        prNumber: 128,
        commentId: 9001,
        commentSource: "issue_comment",
      },
      title: "Make the login redirect keep the next parameter",
      prompt: [
        "@codex the login redirect drops ?next= when the session expired; make it keep it, and add a test.",
        "",
        "Seen on https://web.acme.test/login?next=%2Fsettings%2Fbilling%2Finvoices%2F2024-11%2Fdownload-all-as-zip",
        "Stack: RedirectError@/srv/app/node_modules/@acme/session/dist/redirect-guard.production.min.js:1:48213",
      ].join("\n"),
    });
    await appendProgress(hub.deps, id, [
      { type: "step", text: "Cloning acme/web" },
      { type: "command", text: "$ npm ci" },
      { type: "step", text: "Reading src/auth/redirect.ts and test/login.spec.ts" },
    ]);
    for (const viewport of [
      { name: "desktop", width: 1280, height: 800 },
      { name: "phone", width: 390, height: 844 },
    ]) {
      const context = await signedInContext({ viewport });
      const page = await context.newPage();
      await page.goto(`${server.url}/tasks/${id}`);
      await page.locator("#task-live").waitFor({ state: "visible" });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `the task page overflows on ${viewport.name}`).toBeLessThanOrEqual(0);
      await keepScreenshot(page, viewport.name === "phone" ? "task-page-live.phone" : "task-page-live");
      await context.close();
    }
  }, 60_000);
});
