import { lookupPolicy, type PolicyLookup } from "../../../access/policies";
import type { IndexedSnapshot } from "../../../access/snapshot-index";
import { type PolicyAssignmentsView, policyAssignmentsSchema } from "../../../workspace/policies";
import { issuesRefusal, type Refusal } from "./form-errors";

// The group assignment form as submitted: ordered rows of group → policy, each with a position a person may
// type or change with its up and down buttons, a row to add, and the default policy. Reordering happens here,
// before the whole list is saved, so one press of "up" is one audited change of the order.

export interface AssignmentRow {
  groupId: string;
  policyId: string;
  position: string;
}

export interface AssignmentValues {
  rows: AssignmentRow[];
  newGroupId: string;
  newPolicyId: string;
  defaultPolicyId: string;
}

export const assignmentValuesOf = (view: PolicyAssignmentsView): AssignmentValues => ({
  rows: view.rules.map((rule, index) => ({ ...rule, position: String(index + 1) })),
  newGroupId: "",
  newPolicyId: "",
  defaultPolicyId: view.defaultPolicyId ?? "",
});

/** The rows in the order the form puts them in: by position, then as they were listed. */
export function assignmentValues(fields: Record<string, string>): AssignmentValues {
  const indexes = Object.keys(fields)
    .map((key) => /^rule_(\d+)_group$/.exec(key)?.[1])
    .filter((i): i is string => i !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const rows = indexes
    .filter((i) => fields[`rule_${i}_remove`] === undefined)
    .map((i) => ({
      index: i,
      groupId: fields[`rule_${i}_group`] ?? "",
      policyId: fields[`rule_${i}_policy`] ?? "",
      position: (fields[`rule_${i}_position`] ?? "").trim(),
    }));
  return {
    rows: rows.map(({ index: _i, ...row }) => row),
    newGroupId: fields.new_group ?? "",
    newPolicyId: fields.new_policy ?? "",
    defaultPolicyId: fields.default_policy ?? "",
  };
}

type Parsed = { ok: true; input: PolicyAssignmentsView } | { ok: false; refusal: Refusal };

const refuse = (message: string): Parsed => ({ ok: false, refusal: { status: 400, message, details: [] } });

/** Orders the rows by their positions, applies an up/down press, adds the new row, and validates the lot. */
export function assignmentsInput(values: AssignmentValues, move: string | undefined): Parsed {
  const ranked: { row: AssignmentRow; rank: number; listed: number }[] = [];
  for (const [listed, row] of values.rows.entries()) {
    const rank = row.position === "" ? listed + 1 : Number(row.position);
    if (!Number.isInteger(rank)) {
      return refuse(`Position of rule ${listed + 1}: must be a whole number, not "${row.position}".`);
    }
    ranked.push({ row, rank, listed });
  }
  ranked.sort((a, b) => a.rank - b.rank || a.listed - b.listed);
  const ordered = ranked.map((r) => r.row);
  const pressed = /^(up|down):(\d+)$/.exec(move ?? "");
  if (pressed) {
    const from = ranked.findIndex((r) => r.listed === Number(pressed[2]));
    const to = pressed[1] === "up" ? from - 1 : from + 1;
    if (from >= 0 && to >= 0 && to < ordered.length) {
      [ordered[from], ordered[to]] = [ordered[to] as AssignmentRow, ordered[from] as AssignmentRow];
    }
  }
  if ((values.newGroupId === "") !== (values.newPolicyId === "")) {
    return refuse("New rule: choose both a group and a policy, or neither.");
  }
  const rules = ordered.map(({ groupId, policyId }) => ({ groupId, policyId }));
  if (values.newGroupId) rules.push({ groupId: values.newGroupId, policyId: values.newPolicyId });
  const parsed = policyAssignmentsSchema.safeParse({
    rules,
    defaultPolicyId: values.defaultPolicyId === "" ? null : values.defaultPolicyId,
  });
  if (!parsed.success) {
    return {
      ok: false,
      refusal: issuesRefusal(parsed.error, { rules: "Rules", defaultPolicyId: "Default policy" }),
    };
  }
  return { ok: true, input: parsed.data };
}

/** The policy lookup, as `GET /api/v1/policies/lookup` answers it: an email, or a group's id or name. */
export function lookUp(snapshot: IndexedSnapshot, query: string): PolicyLookup {
  const text = query.trim();
  if (text.includes("@")) return lookupPolicy(snapshot.snapshot, { email: text });
  const groups = snapshot.snapshot.groups;
  const group = groups.find((g) => g.id === text) ?? groups.find((g) => g.name === text);
  return lookupPolicy(snapshot.snapshot, { groupId: group?.id ?? text });
}
