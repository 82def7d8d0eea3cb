import { type ConsoleApp, consolePage, needs } from "../kit";

/** Managed policies. */
export function policiesPage(app: ConsoleApp) {
  app.get("/policies", needs("codex_admin", "/policies"), (c) =>
    consolePage(c, { title: "Managed policies", path: "/policies", children: <h1>Managed policies</h1> }),
  );
}
