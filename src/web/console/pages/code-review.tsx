import { type ConsoleApp, consolePage, needs } from "../kit";

/** Code review. */
export function codeReviewPage(app: ConsoleApp) {
  app.get("/code-review", needs("codex_admin", "/code-review"), (c) =>
    consolePage(c, { title: "Code review", path: "/code-review", children: <h1>Code review</h1> }),
  );
}
