import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_PAGES } from "../../src/web/console/kit";
import { createWorld, type World } from "../helpers/world";
import { freePort, keepScreenshot, launchChromium, serveHub } from "./chromium";

// An admin's first visit, in Chromium: sign in with the admin key, move around the console with the mouse and
// the keyboard, on a desktop and on a phone.

let hub: World;
let browser: Browser;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  const port = await freePort();
  hub = createWorld({ env: { PUBLIC_URL: `http://127.0.0.1:${port}` } });
  await hub.ready;
  server = await serveHub(hub, port);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  hub?.close();
});

async function signIn(page: Page) {
  await page.goto(`${server.url}/`);
  expect(new URL(page.url()).pathname).toBe("/sign-in");
  await page.getByLabel("API key").fill(hub.secrets.adminToken);
  await page.getByRole("button", { name: "Sign in with the key" }).click();
  await page.waitForURL(`${server.url}/`);
}

describe("the console in Chromium", () => {
  it("signs in with the admin key and lands on the overview", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await keepScreenshot(page, "sign-in");
    await signIn(page);
    await expect(page.getByRole("navigation", { name: "Console" }).isVisible()).resolves.toBe(true);
    await keepScreenshot(page, "overview");
    await page.close();
  });

  it("reaches every page from the navigation, on a desktop and on a phone", async () => {
    for (const viewport of [
      { name: "desktop", width: 1280, height: 800 },
      { name: "phone", width: 390, height: 844 },
    ]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await signIn(page);
      for (const link of CONSOLE_PAGES) {
        await page
          .getByRole("navigation", { name: "Console" })
          .getByRole("link", { name: link.label })
          .click();
        await page.waitForURL(`${server.url}${link.href}`);
        expect(await page.locator("h1").first().textContent()).toBeTruthy();
        const current = page.locator('nav.console a[aria-current="page"]');
        expect(await current.textContent()).toBe(link.label);
        // Nothing may be wider than a phone's screen but the tables, which scroll on their own.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${link.href} overflows on ${viewport.name}`).toBeLessThanOrEqual(0);
        const slug = link.href === "/" ? "overview" : link.href.slice(1);
        await keepScreenshot(page, viewport.name === "phone" ? `${slug}.phone` : slug);
      }
      await context.close();
    }
  }, 120_000);

  it("is usable with the keyboard: a skip link first, then the navigation", async () => {
    const page = await browser.newPage();
    await signIn(page);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(new URL(page.url()).hash).toBe("#content");
    await page.close();
  });
});
