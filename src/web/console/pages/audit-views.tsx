import type { Decision } from "../../../access/types";
import type { AuditRecord } from "../../../governance/audit";
import { when } from "./keyset";

// How an audit record reads on the page: a change as before → after, a decision as its verdict and reason
// code, and a decision's trace as the ordered list of checks that decided it.

const json = (value: unknown): string =>
  value === null || value === undefined ? "—" : JSON.stringify(value, null, 2);

/** Before → after, folded: changes can be whole objects (a policy, an environment). */
export function ChangeView(props: { record: AuditRecord }) {
  const { before, after } = props.record;
  if ((before === null || before === undefined) && (after === null || after === undefined)) {
    return <span class="muted">—</span>;
  }
  return (
    <details>
      <summary>before → after</summary>
      <pre>{json(before)}</pre>
      <p aria-hidden="true">→</p>
      <pre>{json(after)}</pre>
    </details>
  );
}

export function Verdict(props: { decision: Decision }) {
  const { decision } = props;
  return (
    <span class={`status ${decision.allowed ? "ok" : "failed"}`}>
      {decision.allowed ? "allow" : "deny"} · {decision.code}
    </span>
  );
}

export function AuditTable(props: { items: AuditRecord[] }) {
  if (props.items.length === 0) return <p class="muted">No records match.</p>;
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Change or decision</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((r) => (
            <tr>
              <td>{when(r.createdAt)}</td>
              <td>
                <code>{r.actor}</code>
              </td>
              <td>
                {r.action}
                {r.workspaceId === null ? <span class="muted"> (hub-wide)</span> : null}
              </td>
              <td>{r.target ? <code>{r.target}</code> : <span class="muted">—</span>}</td>
              <td>
                {r.decision ? (
                  <>
                    <Verdict decision={r.decision} />{" "}
                    <a href={`/audit/decisions/${encodeURIComponent(r.id)}`}>Trace</a>
                  </>
                ) : (
                  <ChangeView record={r} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A stored decision: who asked for what, the verdict, and every check in the order it ran. */
export function DecisionView(props: { record: AuditRecord & { decision: Decision } }) {
  const { record } = props;
  const { decision } = record;
  return (
    <>
      <dl>
        <dt>Verdict</dt>
        <dd>
          <Verdict decision={decision} />
        </dd>
        <dt>Reason given</dt>
        <dd>{decision.message}</dd>
        <dt>Who · what · when</dt>
        <dd>
          <code>{record.actor}</code> · {record.action} · {when(record.createdAt)}
        </dd>
      </dl>
      <h2>Checks, in the order they ran</h2>
      <div class="table">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Check</th>
              <th scope="col">Outcome</th>
              <th scope="col">Found</th>
            </tr>
          </thead>
          <tbody>
            {decision.trace.map((step, i) => (
              <tr>
                <td>{i + 1}</td>
                <td>{step.check}</td>
                <td>
                  <span
                    class={`status ${step.outcome === "pass" ? "ok" : step.outcome === "fail" ? "failed" : ""}`}
                  >
                    {step.outcome}
                  </span>
                </td>
                <td>{step.found}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Request</h2>
      <pre>{json(record.request)}</pre>
    </>
  );
}
