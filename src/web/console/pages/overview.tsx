import { type ConsoleApp, consolePage, needs } from "../kit";

/** Overview. */
export function overviewPage(app: ConsoleApp) {
  app.get("/", needs("member", "/"), (c) =>
    consolePage(c, { title: "Overview", path: "/", children: <h1>Overview</h1> }),
  );
}
