import { Hono } from "hono";
import { type ConsoleEnv, requireViewer } from "./kit";
import { analyticsPage } from "./pages/analytics";
import { apiKeysPage } from "./pages/api-keys";
import { appsPage } from "./pages/apps";
import { auditPage } from "./pages/audit";
import { codeReviewPage } from "./pages/code-review";
import { deliveriesPage } from "./pages/deliveries";
import { environmentsPage } from "./pages/environments";
import { membersPage } from "./pages/members";
import { myReviewsPage } from "./pages/my-reviews";
import { overviewPage } from "./pages/overview";
import { policiesPage } from "./pages/policies";
import { rolesPage } from "./pages/roles";
import { settingsPage } from "./pages/settings";
import { taskLimitsPage } from "./pages/task-limits";
import { tasksPage } from "./pages/tasks";

const CONSOLE_PATHS = [
  "/",
  "/settings",
  "/roles",
  "/members",
  "/environments",
  "/policies",
  "/apps",
  "/code-review",
  "/api-keys",
  "/tasks",
  "/task-limits",
  "/deliveries",
  "/audit",
  "/analytics",
  "/my-reviews",
] as const;

/** The admin console: one page per area, all behind sign-in, each with the level it needs (kit.tsx). */
export function consoleRoutes() {
  const app = new Hono<ConsoleEnv>();
  // Only the console's own paths (and what lies below them) require a viewer; the hub's other routes
  // (webhooks, API, task pages) are mounted beside it and keep their own authentication.
  for (const path of CONSOLE_PATHS) {
    app.use(path, requireViewer());
    // `/tasks/{id}` is the task page (task-page.tsx), which decides on its own who may see a task.
    if (path !== "/" && path !== "/tasks") app.use(`${path}/*`, requireViewer());
  }
  overviewPage(app);
  settingsPage(app);
  rolesPage(app);
  membersPage(app);
  environmentsPage(app);
  policiesPage(app);
  appsPage(app);
  codeReviewPage(app);
  apiKeysPage(app);
  tasksPage(app);
  taskLimitsPage(app);
  deliveriesPage(app);
  auditPage(app);
  analyticsPage(app);
  myReviewsPage(app);
  return app;
}
