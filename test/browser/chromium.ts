import { existsSync, mkdirSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import type { World } from "../helpers/world";

// Page tests in a real browser: Debian's Chromium (the `chromium` package; `.ci/run` installs it) driven by
// playwright-core against the hub served on a loopback port. Screenshots of every page visited are kept in
// test-artifacts/screenshots/ (not committed) so a person can look at what the tests saw.

const CHROMIUM = process.env.HUB_TEST_CHROMIUM ?? "/usr/bin/chromium";
export const SCREENSHOTS = join(process.cwd(), "test-artifacts", "screenshots");

/** Chromium with the flags a machine without network or GPU needs. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set HUB_TEST_CHROMIUM.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A free loopback port, so the hub's PUBLIC_URL can name it before the hub is made. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Serves a test hub over HTTP on a free loopback port; its PUBLIC_URL must be the returned URL's origin. */
export async function serveHub(
  hub: World,
  port: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = serve({ fetch: hub.app.fetch, port, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Keeps a full-page screenshot of where the page is now, as `<name>.png` (desktop) or `<name>.phone.png`. */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
