import type { Context, Env, Hono } from "hono";
import { html } from "hono/html";
import type { Deps } from "../deps";
import { AppError } from "../errors";

// The admin API's reference page: Swagger UI (swagger-ui-dist, https://github.com/swagger-api/swagger-ui)
// rendering /api/v1/openapi.json. Everything it loads comes from this hub, so the page works offline and
// behind a firewall; its start-up script is a file too, so the page's policy needs no inline script.

type DocsEnv = Env & { Variables: { deps: Deps } };

const ASSETS: Record<string, { path: string; type: string }> = {
  "swagger-ui-bundle.js": {
    path: "swagger-ui-dist/swagger-ui-bundle.js",
    type: "text/javascript; charset=utf-8",
  },
  "swagger-ui.css": { path: "swagger-ui-dist/swagger-ui.css", type: "text/css; charset=utf-8" },
};

// No validator badge (it would call validator.swagger.io); the document's URL is on the page's container.
const INIT_SCRIPT = `window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
`;

/**
 * What Swagger UI needs and nothing more: its script and stylesheet from here, icons as data: images in
 * its stylesheet, the document and "Try it out" calls to this hub. No inline script, no other origin.
 * (CSP3: https://www.w3.org/TR/CSP3/; Swagger UI's options: https://github.com/swagger-api/swagger-ui/blob/master/docs/usage/configuration.md)
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

function page(base: string) {
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Codex hub admin API</title>
    <link rel="stylesheet" href="${base}/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui" data-spec-url="${base}/openapi.json"></div>
    <script src="${base}/docs/assets/swagger-ui-bundle.js"></script>
    <script src="${base}/docs/assets/init.js"></script>
  </body>
</html>
`;
}

function commonHeaders(c: Context) {
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "no-referrer");
}

/** GET /docs (the page) and /docs/assets/{name} (its files), beside the document they render. */
export function docsRoutes<E extends DocsEnv>(app: Hono<E>) {
  app.get("/docs", (c) => {
    commonHeaders(c);
    c.header("Content-Security-Policy", DOCS_CSP);
    c.header("Cache-Control", "no-cache");
    // Links are absolute paths from where the page is served, so the page works under any mount point.
    return c.html(page(c.req.path.slice(0, -"/docs".length)));
  });
  app.get("/docs/assets/:name", async (c) => {
    const name = c.req.param("name");
    commonHeaders(c);
    c.header("Cache-Control", "public, max-age=86400");
    if (name === "init.js") {
      return c.body(INIT_SCRIPT, 200, { "content-type": "text/javascript; charset=utf-8" });
    }
    const asset = ASSETS[name];
    const bytes = asset ? await c.var.deps.assets?.read(asset.path) : null;
    if (!asset || !bytes) throw new AppError("not_found", `No docs asset ${name}.`);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { "content-type": asset.type });
  });
}
