import { type ConsoleApp, consolePage, needs } from "../kit";

/** Environments. */
export function environmentsPage(app: ConsoleApp) {
  app.get("/environments", needs("member", "/environments"), (c) =>
    consolePage(c, { title: "Environments", path: "/environments", children: <h1>Environments</h1> }),
  );
}
