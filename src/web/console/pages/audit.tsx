import type { Decision } from "../../../access/types";
import { DECISION_CODES } from "../../../access/types";
import type { AuditRecord } from "../../../governance/audit";
import { type ConsoleApp, consolePage, needs } from "../kit";
import { atLeast } from "../viewer";
import { type AuditFilter, auditFilterFrom, decisionFor, listAuditFor } from "./audit-list";
import { AuditTable, DecisionView } from "./audit-views";
import { decodeCursor, encodeCursor, listUrl } from "./keyset";

// /audit: who changed what (before → after) and every access decision with its reason code, for owners and
// Codex Admins; a decision opens on its own page with the ordered checks that decided it.

const PATH = "/audit";
const PAGE_SIZE = 50;

function Filters(props: { filter: AuditFilter }) {
  const { filter } = props;
  return (
    <form method="get" action={PATH} class="row" aria-label="Filter the audit log">
      <label>
        Who{" "}
        <input type="text" name="actor" value={filter.actor ?? ""} placeholder="member:mem_… or api_key:…" />
      </label>
      <label>
        Action <span class="help">or its start, e.g. decision.</span>
        <input type="text" name="action" value={filter.action ?? ""} />
      </label>
      <label>
        Decision code{" "}
        <select name="code">
          <option value="">any</option>
          {DECISION_CODES.map((code) => (
            <option value={code} selected={filter.code === code}>
              {code}
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

/** The audit log, for Codex Admins and owners. */
export function auditPage(app: ConsoleApp) {
  app.get(PATH, needs("codex_admin", PATH), async (c) => {
    const viewer = c.var.viewer;
    const filter = auditFilterFrom(c.req.query());
    const after = decodeCursor(c.req.query("after"));
    const { items, next } = await listAuditFor(c.var.deps, viewer, filter, after, PAGE_SIZE);
    const params = { actor: filter.actor, action: filter.action, code: filter.code };
    return consolePage(c, {
      title: "Audit log",
      path: PATH,
      children: (
        <>
          <h1>Audit log</h1>
          <p class="muted">
            Every change (who, what, before → after) and every access decision with its reason code, newest
            first{atLeast(viewer.level, "owner") ? ", with the hub-wide changes" : ""}.
          </p>
          <Filters filter={filter} />
          <AuditTable items={items} />
          <p class="row">
            {after ? <a href={listUrl(PATH, params)}>Newest records</a> : null}
            {next ? (
              <a rel="next" href={listUrl(PATH, { ...params, after: encodeCursor(next) })}>
                Older records
              </a>
            ) : null}
          </p>
        </>
      ),
    });
  });

  app.get("/audit/decisions/:id", needs("codex_admin", PATH), async (c) => {
    const record = await decisionFor(c.var.deps, c.var.viewer, c.req.param("id"));
    if (!record) {
      return consolePage(
        c,
        { title: "No such decision", path: PATH, children: <h1>No such decision in this workspace</h1> },
        404,
      );
    }
    return consolePage(c, {
      title: "Decision",
      path: PATH,
      children: (
        <>
          <p>
            <a href={PATH}>← Audit log</a>
          </p>
          <h1>Decision {record.id}</h1>
          <DecisionView record={record as AuditRecord & { decision: Decision }} />
        </>
      ),
    });
  });
}
