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

export function InboxTable(props: { c: ConsoleContext; items: InboxItem[] }) {
  if (props.items.length === 0) return <p class="muted">No deliveries match.</p>;
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Platform</th>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">Received</th>
            <th scope="col">
              <span class="muted">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((d) => (
            <tr id={d.id}>
              <td>{d.platform}</td>
              <td>{d.eventType}</td>
              <td>
                <span class={`status ${d.status}`}>{d.status}</span>
              </td>
              <td>{d.attempts}</td>
              <td>
                <ErrorText text={d.lastError} />
              </td>
              <td>{when(d.receivedAt)}</td>
              <td>
                {d.status === "dead" ? (
                  <RetryButton
                    c={props.c}
                    action={`/deliveries/inbox/${encodeURIComponent(d.id)}/retry`}
                    what={`${d.platform} ${d.eventType} delivery ${d.id}`}
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

export function OutboxTable(props: { c: ConsoleContext; items: OutboxItem[] }) {
  if (props.items.length === 0) return <p class="muted">No outbound calls match.</p>;
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Platform</th>
            <th scope="col">Operation</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
            <th scope="col">Queued</th>
            <th scope="col">
              <span class="muted">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((o) => (
            <tr id={o.id}>
              <td>{o.platform}</td>
              <td>{o.operation}</td>
              <td>
                <span class={`status ${o.status}`}>{o.status}</span>
              </td>
              <td>{o.attempts}</td>
              <td>
                <ErrorText text={o.lastError} />
              </td>
              <td>{when(o.createdAt)}</td>
              <td>
                {o.status === "dead" ? (
                  <RetryButton
                    c={props.c}
                    action={`/deliveries/outbox/${encodeURIComponent(o.id)}/retry`}
                    what={`${o.platform} ${o.operation} call ${o.id}`}
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
