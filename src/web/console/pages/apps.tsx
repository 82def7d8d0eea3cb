import { type ConsoleApp, consolePage, needs } from "../kit";

/** Apps and plugins. */
export function appsPage(app: ConsoleApp) {
  app.get("/apps", needs("owner", "/apps"), (c) =>
    consolePage(c, { title: "Apps and plugins", path: "/apps", children: <h1>Apps and plugins</h1> }),
  );
}
