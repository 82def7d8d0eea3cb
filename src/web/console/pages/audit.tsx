import { type ConsoleApp, consolePage, needs } from "../kit";

/** Audit log. */
export function auditPage(app: ConsoleApp) {
  app.get("/audit", needs("codex_admin", "/audit"), (c) =>
    consolePage(c, { title: "Audit log", path: "/audit", children: <h1>Audit log</h1> }),
  );
}
