import { Hono } from "hono";
import { listSandboxOutbound } from "../clients/sandbox";
import type { AppEnv } from "../context";
import { listInbox } from "../inbox/store";
import { listRecentTasks } from "../tasks/service";

/**
 * Sandbox mode only: what the hub received and what it would have sent to Slack, GitHub and Linear.
 * `/sandbox` is the page; `/sandbox/state.json` the same data for scripts (`npm run demo`).
 */
export function sandboxRoutes() {
  const routes = new Hono<AppEnv>();
  const state = async (database: AppEnv["Variables"]["deps"]["database"]) => ({
    outbound: await listSandboxOutbound(database, 200),
    inbox: await listInbox(database, { limit: 100 }),
    tasks: await listRecentTasks({ database }, 50),
  });
  routes.get("/state.json", async (c) => c.json(await state(c.var.deps.database)));
  routes.get("/", async (c) => {
    const { outbound, inbox, tasks } = await state(c.var.deps.database);
    const time = (ms: number | null) => (ms ? new Date(ms).toISOString() : "");
    return c.html(
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>Codex hub sandbox</title>
          <style>
            {
              "body{font:14px system-ui;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:left}pre{margin:0;white-space:pre-wrap;max-height:12rem;overflow:auto}"
            }
          </style>
        </head>
        <body>
          <h1>Sandbox</h1>
          <p>
            No platform credentials are configured, so nothing leaves this machine. Replay sample events with{" "}
            <code>npm run demo</code>.
          </p>
          <h2>Would have sent ({outbound.length})</h2>
          <table>
            <tr>
              <th>time</th>
              <th>platform</th>
              <th>call</th>
              <th>request</th>
            </tr>
            {outbound.map((o) => (
              <tr>
                <td>{time(o.createdAt)}</td>
                <td>{o.platform}</td>
                <td>{o.operation}</td>
                <td>
                  <pre>{JSON.stringify(o.request, null, 2)}</pre>
                </td>
              </tr>
            ))}
          </table>
          <h2>Tasks ({tasks.length})</h2>
          <table>
            <tr>
              <th>created</th>
              <th>task</th>
              <th>from</th>
              <th>status</th>
              <th>title</th>
            </tr>
            {tasks.map((t) => (
              <tr>
                <td>{time(t.createdAt)}</td>
                <td>
                  <a href={`/tasks/${t.id}`}>{t.id}</a>
                </td>
                <td>{t.origin.surface}</td>
                <td>
                  {t.status}
                  {t.error ? ` (${t.error})` : ""}
                </td>
                <td>{t.title}</td>
              </tr>
            ))}
          </table>
          <h2>Received ({inbox.length})</h2>
          <table>
            <tr>
              <th>received</th>
              <th>platform</th>
              <th>event</th>
              <th>delivery</th>
              <th>status</th>
              <th>outcome</th>
            </tr>
            {inbox.map((e) => (
              <tr>
                <td>{time(e.receivedAt)}</td>
                <td>{e.platform}</td>
                <td>{e.eventType}</td>
                <td>{e.deliveryKey}</td>
                <td>
                  {e.status}
                  {e.lastError ? ` (${e.lastError})` : ""}
                </td>
                <td>{e.outcome ?? ""}</td>
              </tr>
            ))}
          </table>
        </body>
      </html>,
    );
  });
  return routes;
}
