import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxInboxAttempts } from "../../src/inbox/store";
import { LOCAL_OWNER_ID, LOCAL_WORKSPACE_ID } from "../../src/workspace/workspaces";
import { githubExample } from "../helpers/github-examples";
import { githubRequest } from "../helpers/signers";
import { createWorld, type World } from "../helpers/world";
import { storeTask } from "../web/tasks";
import { freePort, keepScreenshot, launchChromium, serveHub } from "./chromium";

// What an admin does in the console, clicked through in Chromium: flip a switch, create an environment, save a
// policy with a syntax error (told why, nothing saved), retry a dead delivery, open a task page.

let hub: World;
let browser: Browser;
let page: Page;
let server: { url: string; close: () => Promise<void> };
let failing = true;

beforeAll(async () => {
  const port = await freePort();
  hub = createWorld({
    env: { PUBLIC_URL: `http://127.0.0.1:${port}` },
    // The processing step of one delivery keeps failing until the test lets it through: a dead letter.
    step: async (_deps, { event }) => {
      if (failing && event.deliveryKey === "d-dead") throw new Error("the pipeline broke");
      return { outcome: "ok" };
    },
  });
  await hub.ready;
  server = await serveHub(hub, port);
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel("API key").fill(hub.secrets.adminToken);
  await page.getByRole("button", { name: "Sign in with the key" }).click();
  await page.waitForURL(`${server.url}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  hub?.close();
});

const api = async (path: string) =>
  (
    await hub.request(`/api/v1/workspaces/${LOCAL_WORKSPACE_ID}${path}`, { headers: hub.adminHeaders })
  ).json();

describe("an admin in the console (Chromium)", () => {
  it("flips the code review switch", async () => {
    await page.goto(`${server.url}/code-review`);
    const before = ((await api("/toggles")) as { codeReview: boolean }).codeReview;
    await page.getByRole("button", { name: before ? "Turn code review off" : "Turn code review on" }).click();
    await page.getByRole("status").waitFor();
    expect(await page.getByText(`Code review is ${before ? "off" : "on"}`).isVisible()).toBe(true);
    expect(((await api("/toggles")) as { codeReview: boolean }).codeReview).toBe(!before);
    await keepScreenshot(page, "flow-code-review-switch");
  });

  it("creates an environment", async () => {
    await page.goto(`${server.url}/environments`);
    await page.getByLabel("Repository").fill("acme/web");
    await page.getByLabel("Name", { exact: true }).fill("web");
    // Signed in with a key, nobody is "me": the environment's creator is chosen.
    await page.getByLabel("Creator", { exact: true }).selectOption({ label: "admin@example.com" });
    await page.getByRole("button", { name: "Create environment" }).click();
    await page.getByRole("status").waitFor();
    // Saved, and open on its own page.
    expect(await page.locator("h1").textContent()).toBe("web");
    const { items } = (await api("/environments")) as { items: { name: string }[] };
    expect(items.map((e) => e.name)).toContain("web");
    await keepScreenshot(page, "flow-environment-created");
  });

  it("saves nothing from a policy with a syntax error, and says where it is", async () => {
    await page.goto(`${server.url}/policies`);
    await page.getByLabel("Name", { exact: true }).fill("Strict");
    await page.getByLabel("requirements.toml").fill('allowed_sandbox_modes = ["read-only"\n');
    await page.getByRole("button", { name: "Create policy" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/line/i);
    // What was typed is still there to fix.
    expect(await page.getByLabel("requirements.toml").inputValue()).toContain("read-only");
    expect(((await api("/policies")) as { items: unknown[] }).items).toEqual([]);
    await keepScreenshot(page, "flow-policy-syntax-error");
  });

  it("retries a dead delivery", async () => {
    const init = await githubRequest(githubExample("pull_request", "opened"), {
      event: "pull_request",
      delivery: "d-dead",
      secret: hub.secrets.github.current,
    });
    expect((await hub.request("/webhooks/github", init)).status).toBe(200);
    for (let i = 0; i < maxInboxAttempts; i++) {
      await hub.processor.drain();
      hub.clock.advance(60 * 60_000);
    }
    expect(hub.inbox().find((r) => r.deliveryKey === "d-dead")?.status).toBe("dead");
    failing = false;
    await page.goto(`${server.url}/deliveries`);
    await keepScreenshot(page, "flow-deliveries-dead");
    await page.getByRole("button", { name: /^Retry github pull_request/ }).click();
    await page.getByRole("status").waitFor();
    expect(hub.inbox().find((r) => r.deliveryKey === "d-dead")?.status).toBe("pending");
  });

  it("opens a task page from the task list", async () => {
    await storeTask(hub, {
      workspaceId: LOCAL_WORKSPACE_ID,
      environmentId: null,
      requesterMemberId: LOCAL_OWNER_ID,
      answer: "Rotated the keys.",
      title: "Rotate the signing keys",
    });
    await page.goto(`${server.url}/tasks`);
    await page.getByRole("link", { name: "Rotate the signing keys" }).click();
    await page.waitForURL(/\/tasks\/tsk_/);
    expect(await page.getByText("Rotated the keys.").isVisible()).toBe(true);
    await keepScreenshot(page, "flow-task-page");
  });
});
