import { type ConsoleApp, consolePage, needs } from "../kit";

/** API keys. */
export function apiKeysPage(app: ConsoleApp) {
  app.get("/api-keys", needs("owner", "/api-keys"), (c) =>
    consolePage(c, { title: "API keys", path: "/api-keys", children: <h1>API keys</h1> }),
  );
}
