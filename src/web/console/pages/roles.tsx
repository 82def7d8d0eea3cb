import { type ConsoleApp, consolePage, needs } from "../kit";

/** Roles and groups. */
export function rolesPage(app: ConsoleApp) {
  app.get("/roles", needs("owner", "/roles"), (c) =>
    consolePage(c, { title: "Roles and groups", path: "/roles", children: <h1>Roles and groups</h1> }),
  );
}
