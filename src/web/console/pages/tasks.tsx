import { asc, eq } from "drizzle-orm";
import { canSeeEnvironment } from "../../../access/environments";
import { members } from "../../../db/schema/access";
import { TASK_STATUSES, type Task } from "../../../tasks/types";
import { type ConsoleApp, type ConsoleContext, consolePage, needs } from "../kit";
import { atLeast } from "../viewer";
import { decodeCursor, encodeCursor, listUrl, when } from "./keyset";
import { listTasksFor, SURFACES, type TaskFilter, taskFilterFrom } from "./task-list";

// /tasks: the workspace's tasks, newest first, each linking to its task page. Filters are a GET form, so a
// filtered list is a link one can share; paging follows a keyset cursor (`after`).

const PAGE_SIZE = 25;

async function memberNames(c: ConsoleContext): Promise<Map<string, string>> {
  const rows = await c.var.deps.database.db
    .select({ id: members.id, email: members.email, displayName: members.displayName })
    .from(members)
    .where(eq(members.workspaceId, c.var.viewer.workspaceId))
    .orderBy(asc(members.email));
  return new Map(rows.map((m) => [m.id, m.displayName ? `${m.displayName} (${m.email})` : m.email]));
}

function Filters(props: {
  filter: TaskFilter;
  environments: { id: string; name: string }[];
  people: Map<string, string>;
}) {
  const { filter } = props;
  return (
    <form method="get" action="/tasks" class="row" aria-label="Filter tasks">
      <label>
        Status{" "}
        <select name="status">
          <option value="">any</option>
          {TASK_STATUSES.map((s) => (
            <option value={s} selected={filter.status === s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Surface{" "}
        <select name="surface">
          <option value="">any</option>
          {SURFACES.map((s) => (
            <option value={s} selected={filter.surface === s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Environment{" "}
        <select name="environment">
          <option value="">any</option>
          {props.environments.map((e) => (
            <option value={e.id} selected={filter.environmentId === e.id}>
              {e.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Requested by{" "}
        <select name="requester">
          <option value="">anyone</option>
          {[...props.people].map(([id, name]) => (
            <option value={id} selected={filter.requesterId === id}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <button class="button" type="submit">
        Filter
      </button>
    </form>
  );
}

function TaskTable(props: { items: Task[]; envNames: Map<string, string>; people: Map<string, string> }) {
  if (props.items.length === 0) return <p class="muted">No tasks match.</p>;
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Status</th>
            <th scope="col">Surface</th>
            <th scope="col">Environment</th>
            <th scope="col">Requested by</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((t) => (
            <tr>
              <td>
                <a href={`/tasks/${encodeURIComponent(t.id)}`}>{t.title}</a>
                {t.kind === "review" ? <span class="muted"> (review)</span> : null}
              </td>
              <td>
                <span class={`status ${t.status}`}>{t.status}</span>
              </td>
              <td>{t.origin.surface}</td>
              <td>
                {t.environmentId ? (props.envNames.get(t.environmentId) ?? "(deleted)") : <span>none</span>}
              </td>
              <td>{props.people.get(t.requesterMemberId) ?? "a former member"}</td>
              <td>{when(t.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Tasks: members see the tasks the task page would show them; owners and Codex Admins see all. */
export function tasksPage(app: ConsoleApp) {
  app.get("/tasks", needs("member", "/tasks"), async (c) => {
    const viewer = c.var.viewer;
    const filter = taskFilterFrom(c.req.query());
    const after = decodeCursor(c.req.query("after"));
    const [{ items, next }, people] = await Promise.all([
      listTasksFor(c.var.deps, viewer, filter, after, PAGE_SIZE),
      memberNames(c),
    ]);
    const seesAll = atLeast(viewer.level, "codex_admin");
    const environments = [...viewer.snapshot.environments.values()]
      .filter((e) => seesAll || canSeeEnvironment(e, viewer.memberId ?? ""))
      .map((e) => ({ id: e.env.id, name: e.env.name }));
    const envNames = new Map([...viewer.snapshot.environments.values()].map((e) => [e.env.id, e.env.name]));
    const params = {
      status: filter.status,
      surface: filter.surface,
      environment: filter.environmentId,
      requester: filter.requesterId,
    };
    return consolePage(c, {
      title: "Tasks",
      path: "/tasks",
      children: (
        <>
          <h1>Tasks</h1>
          <p class="muted">
            {seesAll
              ? "Every task of the workspace, newest first."
              : "Your tasks and the tasks in environments you can see, newest first."}
          </p>
          <Filters filter={filter} environments={environments} people={people} />
          <TaskTable items={items} envNames={envNames} people={people} />
          <p class="row">
            {after ? <a href={listUrl("/tasks", params)}>First page</a> : null}
            {next ? (
              <a rel="next" href={listUrl("/tasks", { ...params, after: encodeCursor(next) })}>
                Older tasks
              </a>
            ) : null}
          </p>
        </>
      ),
    });
  });
}
