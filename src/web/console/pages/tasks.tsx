import { type ConsoleApp, consolePage, needs } from "../kit";

/** Tasks. */
export function tasksPage(app: ConsoleApp) {
  app.get("/tasks", needs("member", "/tasks"), (c) =>
    consolePage(c, { title: "Tasks", path: "/tasks", children: <h1>Tasks</h1> }),
  );
}
