import { type InboxStatus, inboxStatuses } from "../../../db/schema/inbox";
import { type OutboxStatus, outboxStatuses } from "../../../db/schema/outbox";
import { AppError } from "../../../errors";
import { retryDeadDelivery } from "../../../inbox/retry";
import { listInbox } from "../../../inbox/store";
import { retryDeadCall } from "../../../outbox/retry";
import { listOutbox } from "../../../outbox/store";
import {
  type ConsoleApp,
  type ConsoleContext,
  changeGuard,
  consolePage,
  Notices,
  needs,
  savedRedirect,
} from "../kit";
import { InboxTable, OutboxTable } from "./delivery-tables";

// /deliveries: what came in from the platforms and what the hub sent out, dead letters first so the rows
// that need an owner are on top. Retrying a dead row is the same domain call as the admin API's retry routes,
// audited with the person who pressed the button.

const PATH = "/deliveries";
const SHOWN = 50;

/** Dead rows first (when no status is asked for), then the newest of the rest. */
async function deadFirst<T extends { id: string; status: string }>(
  status: string | undefined,
  list: (status?: string) => Promise<T[]>,
): Promise<T[]> {
  if (status) return list(status);
  const [dead, recent] = await Promise.all([list("dead"), list()]);
  return [...dead, ...recent.filter((r) => r.status !== "dead")].slice(0, SHOWN);
}

function StatusSelect(props: { name: string; label: string; options: readonly string[]; value?: string }) {
  return (
    <label>
      {props.label}{" "}
      <select name={props.name}>
        <option value="">any (dead first)</option>
        {props.options.map((s) => (
          <option value={s} selected={props.value === s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}

async function render(c: ConsoleContext, error: string | null = null, status: 200 | 404 | 409 = 200) {
  const { database } = c.var.deps;
  const inboxStatus = inboxStatuses.find((s) => s === c.req.query("inbox"));
  const outboxStatus = outboxStatuses.find((s) => s === c.req.query("outbox"));
  const [inbox, outbox] = await Promise.all([
    deadFirst(inboxStatus, (s) =>
      listInbox(database, { status: s as InboxStatus | undefined, limit: SHOWN }),
    ),
    deadFirst(outboxStatus, (s) =>
      listOutbox(database, { status: s as OutboxStatus | undefined, limit: SHOWN }),
    ),
  ]);
  return consolePage(
    c,
    {
      title: "Deliveries",
      path: PATH,
      children: (
        <>
          <h1>Deliveries</h1>
          <Notices c={c} error={error} />
          <p class="muted">
            Webhook deliveries the hub received and calls it made to Slack, GitHub and Linear. A dead row ran
            out of attempts; fix the cause, then retry it.
          </p>
          <form method="get" action={PATH} class="row" aria-label="Filter deliveries">
            <StatusSelect name="inbox" label="Inbox status" options={inboxStatuses} value={inboxStatus} />
            <StatusSelect name="outbox" label="Outbox status" options={outboxStatuses} value={outboxStatus} />
            <button class="button" type="submit">
              Filter
            </button>
          </form>
          <h2>Inbox: webhook deliveries</h2>
          <InboxTable c={c} items={inbox} />
          <h2>Outbox: outbound calls</h2>
          <OutboxTable c={c} items={outbox} />
        </>
      ),
    },
    status,
  );
}

/** A retry that could not happen (the row is gone, or no longer dead): the page again, saying so. */
async function retried(c: ConsoleContext, retry: () => Promise<unknown>) {
  try {
    await retry();
  } catch (error) {
    if (error instanceof AppError && (error.code === "not_found" || error.code === "conflict")) {
      return render(c, `${error.message} Reload the page to see where it stands.`, error.status as 404 | 409);
    }
    throw error;
  }
  return savedRedirect(c, PATH);
}

/** Deliveries: owners only (the inbox and outbox are the hub's, not one workspace's). */
export function deliveriesPage(app: ConsoleApp) {
  app.get(PATH, needs("owner", PATH), (c) => render(c));
  app.post("/deliveries/inbox/:id/retry", ...changeGuard("owner", PATH), (c) =>
    retried(c, () => retryDeadDelivery(c.var.deps, c.req.param("id"), c.var.viewer.actor)),
  );
  app.post("/deliveries/outbox/:id/retry", ...changeGuard("owner", PATH), (c) =>
    retried(c, () => retryDeadCall(c.var.deps, c.req.param("id"), c.var.viewer.actor)),
  );
}
