import { eq } from "drizzle-orm";
import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { members } from "../db/schema/access";
import { tasks } from "../db/schema/tasks";
import type { Deps } from "../deps";
import { recordAudit } from "../governance/audit";
import { describeStanding } from "../replies/queued";
import { IllegalTransition } from "../tasks/lifecycle";
import { cancelTask, listTaskEvents, TaskNotFound } from "../tasks/service";
import { loadStanding } from "../tasks/standing-load";
import type { Task } from "../tasks/types";
import { githubWebUrl } from "../workspace/github-connect";
import { formToken, requireFormToken } from "./csrf";
import { Page, privatePage } from "./layout";
import { currentSession } from "./sign-in-session";
import { cancellerOf, type TaskAccess, taskForViewer } from "./task-access";
import { taskEventsRoutes } from "./task-events";
import { originView } from "./task-origin";
import { isActive, TaskView } from "./task-view";

// GET /tasks/:id, the page "link" replies point to, live while the task runs (its events: task-events.ts), and
// POST /tasks/:id/cancel, its cancel button. It shows nothing to anyone who is not signed in as an active
// member of the task's workspace allowed to see the task's environment: an anonymous visitor is sent to sign
// in (without learning whether the task exists), anyone else gets a 403 without task content. Raw executor
// output (the stderr tail in a failed task's error) is shown here only, behind that sign-in.

export { canViewTask, type ViewDecision } from "./task-access";

/** How often a page without JavaScript reloads itself while the task is queued or running. */
const NO_SCRIPT_REFRESH_SECONDS = 5;

type Signed = { name: string; formToken: string };

async function requesterName(deps: Deps, task: Task): Promise<string> {
  const [row] = await deps.database.db
    .select({ email: members.email, displayName: members.displayName })
    .from(members)
    .where(eq(members.id, task.requesterMemberId))
    .limit(1);
  return row ? (row.displayName ?? row.email) : "a former member";
}

async function executorOf(deps: Deps, id: string) {
  const [row] = await deps.database.db
    .select({ executor: tasks.executor })
    .from(tasks)
    .where(eq(tasks.id, id))
    .limit(1);
  return row?.executor ?? null;
}

const message = (signedIn: Signed, title: string, body: string, hint?: string) => (
  <Page title={title} signedIn={signedIn}>
    <h1>{title}</h1>
    <p>{body}</p>
    {hint ? <p class="muted">{hint}</p> : null}
  </Page>
);

/** The page for a task that does not exist or that the viewer may not see. */
function refusal(access: Extract<TaskAccess, { kind: "missing" | "forbidden" }>, signedIn: Signed) {
  if (access.kind === "missing") {
    return { page: message(signedIn, "No such task", "No task has this id."), status: 404 as const };
  }
  const hint = "Ask a workspace owner or the environment's creator for access.";
  return { page: message(signedIn, "You cannot see this task", access.reason, hint), status: 403 as const };
}

/** Only a signed-in person's POST goes further; anyone else is sent to sign in first. */
const signedIn: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (await currentSession(c, c.var.deps)) return next();
  return c.redirect(`/sign-in?next=${encodeURIComponent(`/tasks/${c.req.param("id")}`)}`, 302);
};

export function taskPageRoutes() {
  const routes = new Hono<AppEnv>();
  routes.get("/tasks/:id", async (c) => {
    const deps = c.var.deps;
    privatePage(c);
    const access = await taskForViewer(c, deps, c.req.param("id"));
    if (access.kind === "signed-out")
      return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 302);
    const token = await formToken(c, deps);
    const signed = { name: access.session.displayName, formToken: token };
    if (access.kind !== "ok") {
      const refused = refusal(access, signed);
      return c.html(refused.page, refused.status);
    }

    const { task, snapshot, session } = access;
    const [steps, requester, executor, canceller, standing] = await Promise.all([
      listTaskEvents(deps, task.id),
      requesterName(deps, task),
      executorOf(deps, task.id),
      cancellerOf(deps, snapshot, session, task),
      task.status === "queued" ? loadStanding(deps, task, deps.clock.now()) : null,
    ]);
    const env = task.environmentId ? snapshot.environments.get(task.environmentId)?.env : undefined;
    const live = isActive(task);
    // Only a page that follows its task loads the script (and may open the event stream).
    if (live) privatePage(c, { scripts: true });
    return c.html(
      <Page
        title={task.title}
        signedIn={signed}
        head={
          live ? (
            <>
              <noscript>
                <meta http-equiv="refresh" content={String(NO_SCRIPT_REFRESH_SECONDS)} />
              </noscript>
              <script src="/assets/task-page.js" defer />
            </>
          ) : null
        }
      >
        <TaskView
          task={task}
          steps={steps}
          requester={requester}
          environment={env ? `${env.name} (${env.repository})` : task.environmentId ? "(deleted)" : "none"}
          origin={originView(task.origin, task.context, githubWebUrl(deps.config.github.apiUrl))}
          executor={executor}
          cancelToken={canceller ? token : null}
          waiting={
            task.status === "queued"
              ? standing
                ? describeStanding(standing)
                : "No limit holds it: it starts as soon as the hub has a free runner."
              : null
          }
        />
      </Page>,
    );
  });

  routes.post("/tasks/:id/cancel", signedIn, requireFormToken(), async (c) => {
    const deps = c.var.deps;
    privatePage(c);
    const access = await taskForViewer(c, deps, c.req.param("id"));
    if (access.kind === "signed-out") return c.redirect("/sign-in", 302);
    const signed = { name: access.session.displayName, formToken: await formToken(c, deps) };
    if (access.kind !== "ok") {
      const refused = refusal(access, signed);
      return c.html(refused.page, refused.status);
    }

    const { task, snapshot, session } = access;
    const canceller = await cancellerOf(deps, snapshot, session, task);
    if (!canceller) {
      return c.html(
        message(
          signed,
          "You cannot cancel this task",
          "Only the person who asked for this task, or a workspace admin, can cancel it.",
        ),
        403,
      );
    }
    try {
      await cancelTask(deps, task.id, canceller.by);
    } catch (error) {
      if (error instanceof TaskNotFound) return c.html(message(signed, "No such task", error.message), 404);
      if (!(error instanceof IllegalTransition)) throw error;
      return c.html(
        message(signed, "Already finished", `This task already ${error.from}; there is nothing to cancel.`),
        409,
      );
    }
    await recordAudit(deps, {
      workspaceId: task.workspaceId,
      actor: canceller.actor,
      action: "task.cancel",
      target: task.id,
      after: { status: "cancelled" },
    });
    return c.redirect(`/tasks/${encodeURIComponent(task.id)}`, 303);
  });

  taskEventsRoutes(routes);
  return routes;
}
