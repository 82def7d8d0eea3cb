import { Hono } from "hono";
import { etag } from "hono/etag";
import type { AppEnv } from "../context";
import { AppError } from "../errors";
import { TASK_PAGE_SCRIPT } from "./task-page-script";

// GET /assets/{name}: the scripts of the hub's own pages. They live in the source as strings, so the same
// files are served from source, from the bundled build (scripts/build.mjs) and on Workers, with no file
// system to read. An ETag lets browsers keep them and still pick up a new version at once.

const SCRIPTS: Record<string, string> = {
  "task-page.js": TASK_PAGE_SCRIPT,
};

export function webAssetRoutes() {
  const app = new Hono<AppEnv>();
  app.use("/:name", etag());
  app.get("/:name", (c) => {
    const name = c.req.param("name");
    const script = Object.hasOwn(SCRIPTS, name) ? SCRIPTS[name] : undefined;
    if (script === undefined) throw new AppError("not_found", `No asset ${name}.`);
    return c.body(script, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
    });
  });
  return app;
}
