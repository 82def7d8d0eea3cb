import type { ConsoleContext } from "../kit";
import { ConsoleForm } from "../kit";
import { when } from "./keyset";

// The two tables of /deliveries: webhook deliveries that came in (the inbox) and calls the hub makes to the
// platforms (the outbox). A dead row carries its Retry button.

export interface InboxItem {
  id: string;
  platform: string;
  eventType: string;
  status: string;
  attempts: number;
  lastError: string | null;
  receivedAt: number;
}

export interface OutboxItem {
  id: string;
  platform: string;
  operation: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: number;
}

/** Errors can be long (a stack, a platform's answer): the table shows the start, the rest on demand. */
function ErrorText(props: { text: string | null }) {
  if (!props.text) return <span class="muted">—</span>;
  if (props.text.length <= 160) return <span>{props.text}</span>;
  return (
    <details>
      <summary>{props.text.slice(0, 120)}…</summary>
      <pre>{props.text}</pre>
    </details>
  );
}

function RetryButton(props: { c: ConsoleContext; action: string; what: string }) {
  return (
    <ConsoleForm c={props.c} action={props.action} class="row">
      <button class="button" type="submit" aria-label={`Retry ${props.what}`}>
        Retry
      </button>
    </ConsoleForm>
  );
}

/** One row of either table: what it is (event or operation), and when it came in or was queued. */
interface QueueRow {
  id: string;
  platform: string;
  what: string;
  status: string;
  attempts: number;
  lastError: string | null;
  at: number;
}

/** The columns both queues share; `queue` names the retry route and how a row is called. */
function QueueTable(props: {
  c: ConsoleContext;
  rows: QueueRow[];
  queue: "inbox" | "outbox";
  whatLabel: string;
  atLabel: string;
  noun: string;
}) {
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Platform</th>
            <th scope="col">{props.whatLabel}</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">{props.atLabel}</th>
            <th scope="col">
              <span class="muted">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr id={r.id}>
              <td>{r.platform}</td>
              <td>{r.what}</td>
              <td>
                <span class={`status ${r.status}`}>{r.status}</span>
              </td>
              <td>{r.attempts}</td>
              <td>
                <ErrorText text={r.lastError} />
              </td>
              <td>{when(r.at)}</td>
              <td>
                {r.status === "dead" ? (
                  <RetryButton
                    c={props.c}
                    action={`/deliveries/${props.queue}/${encodeURIComponent(r.id)}/retry`}
                    what={`${r.platform} ${r.what} ${props.noun} ${r.id}`}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function InboxTable(props: { c: ConsoleContext; items: InboxItem[] }) {
  if (props.items.length === 0) return <p class="muted">No deliveries match.</p>;
  const rows = props.items.map((d) => ({ ...d, what: d.eventType, at: d.receivedAt }));
  return (
    <QueueTable c={props.c} rows={rows} queue="inbox" whatLabel="Event" atLabel="Received" noun="delivery" />
  );
}

export function OutboxTable(props: { c: ConsoleContext; items: OutboxItem[] }) {
  if (props.items.length === 0) return <p class="muted">No outbound calls match.</p>;
  const rows = props.items.map((o) => ({ ...o, what: o.operation, at: o.createdAt }));
  return (
    <QueueTable c={props.c} rows={rows} queue="outbox" whatLabel="Operation" atLabel="Queued" noun="call" />
  );
}
