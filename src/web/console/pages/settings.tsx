import { type ConsoleApp, consolePage, needs } from "../kit";

/** Workspace settings. */
export function settingsPage(app: ConsoleApp) {
  app.get("/settings", needs("owner", "/settings"), (c) =>
    consolePage(c, { title: "Workspace settings", path: "/settings", children: <h1>Workspace settings</h1> }),
  );
}
