import { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { parseRequirements } from "../access/requirements";
import { managedPolicies, type PolicyRow, policyRules } from "../db/schema/access";
import { workspaces } from "../db/schema/workspaces";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { commitChange } from "./change";
import { chunked, rowsPerStatement } from "./chunks";
import { nameSchema, nonEmptyPatch } from "./field-schemas";
import { assertRefs } from "./refs";
import { requireWorkspaceRow } from "./workspaces";

type D = Pick<Deps, "database" | "clock">;

export type PolicyView = Omit<PolicyRow, "workspaceId">;

export interface PolicyAssignmentsView {
  rules: { groupId: string; policyId: string }[];
  defaultPolicyId: string | null;
}

// What a policy and the group assignment may be written as, shared by the admin API and the console's forms.
const toml = z.string().max(100_000).describe("The requirements.toml document");

export const policyCreateSchema = z.object({ name: nameSchema, requirements: toml }).strict();

export const policyPatchSchema = nonEmptyPatch(
  z.object({ name: nameSchema.optional(), requirements: toml.optional() }).strict(),
);

export const policyAssignmentsSchema = z
  .object({
    rules: z
      .array(z.object({ groupId: z.string().min(1), policyId: z.string().min(1) }))
      .describe("Ordered: the first rule matching one of the member's groups wins"),
    defaultPolicyId: z.string().min(1).nullable(),
  })
  .openapi("PolicyAssignments");

const toView = ({ workspaceId: _w, ...row }: PolicyRow): PolicyView => row;

/** Parses requirements.toml; invalid documents are a 400 naming every problem, unknown keys only warnings. */
function parse(source: string) {
  const result = parseRequirements(source);
  if (!result.ok) {
    throw new AppError("invalid_body", "requirements.toml is not valid.", {
      errors: result.errors,
      warnings: result.warnings,
    });
  }
  return { requirements: result.requirements as Record<string, unknown>, warnings: result.warnings };
}

export async function listPolicies(deps: Pick<Deps, "database">, workspaceId: string): Promise<PolicyView[]> {
  await requireWorkspaceRow(deps, workspaceId);
  const rows = await deps.database.db
    .select()
    .from(managedPolicies)
    .where(eq(managedPolicies.workspaceId, workspaceId))
    .orderBy(asc(managedPolicies.createdAt), asc(managedPolicies.id));
  return rows.map(toView);
}

export async function requirePolicy(deps: Pick<Deps, "database">, workspaceId: string, policyId: string) {
  const [row] = await deps.database.db
    .select()
    .from(managedPolicies)
    .where(and(eq(managedPolicies.workspaceId, workspaceId), eq(managedPolicies.id, policyId)))
    .limit(1);
  if (!row) throw new AppError("not_found", `No policy ${policyId} in workspace ${workspaceId}.`);
  return toView(row);
}

export async function createPolicy(
  deps: D,
  workspaceId: string,
  input: { name: string; requirements: string },
  actor: string,
) {
  await requireWorkspaceRow(deps, workspaceId);
  const parsed = parse(input.requirements);
  const now = deps.clock.now();
  const row: PolicyRow = {
    id: newId("pol"),
    workspaceId,
    name: input.name,
    source: input.requirements,
    ...parsed,
    createdAt: now,
    updatedAt: now,
  };
  const after = toView(row);
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "policy.create",
    target: row.id,
    after,
    writes: [deps.database.db.insert(managedPolicies).values(row)],
    conflict: `A policy named ${input.name} already exists.`,
  });
  return after;
}

export async function updatePolicy(
  deps: D,
  workspaceId: string,
  policyId: string,
  patch: { name?: string; requirements?: string },
  actor: string,
) {
  const before = await requirePolicy(deps, workspaceId, policyId);
  const set = {
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.requirements === undefined ? {} : { source: patch.requirements, ...parse(patch.requirements) }),
    updatedAt: deps.clock.now(),
  };
  const after: PolicyView = { ...before, ...set };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "policy.update",
    target: policyId,
    before,
    after,
    writes: [deps.database.db.update(managedPolicies).set(set).where(eq(managedPolicies.id, policyId))],
    conflict: `A policy named ${patch.name} already exists.`,
  });
  return after;
}

export async function deletePolicy(deps: D, workspaceId: string, policyId: string, actor: string) {
  const before = await requirePolicy(deps, workspaceId, policyId);
  const ws = await requireWorkspaceRow(deps, workspaceId);
  const { db } = deps.database;
  // Rules naming the policy go with it (ON DELETE CASCADE); the default is not a foreign key, so clear it here.
  const writes: BatchQuery[] = [db.delete(managedPolicies).where(eq(managedPolicies.id, policyId))];
  if (ws.defaultPolicyId === policyId)
    writes.push(db.update(workspaces).set({ defaultPolicyId: null }).where(eq(workspaces.id, workspaceId)));
  await commitChange(deps, { workspaceId, actor, action: "policy.delete", target: policyId, before, writes });
  return before;
}

export async function getPolicyAssignments(
  deps: Pick<Deps, "database">,
  workspaceId: string,
): Promise<PolicyAssignmentsView> {
  const ws = await requireWorkspaceRow(deps, workspaceId);
  const rules = await deps.database.db
    .select({ groupId: policyRules.groupId, policyId: policyRules.policyId })
    .from(policyRules)
    .where(eq(policyRules.workspaceId, workspaceId))
    .orderBy(asc(policyRules.position));
  return { rules, defaultPolicyId: ws.defaultPolicyId };
}

/** Replaces the ordered rules and the default as a whole: their order is what decides. */
export async function setPolicyAssignments(
  deps: D,
  workspaceId: string,
  input: PolicyAssignmentsView,
  actor: string,
) {
  const before = await getPolicyAssignments(deps, workspaceId);
  await assertRefs(
    deps,
    workspaceId,
    "group",
    input.rules.map((r) => r.groupId),
  );
  await assertRefs(deps, workspaceId, "policy", [
    ...input.rules.map((r) => r.policyId),
    ...(input.defaultPolicyId ? [input.defaultPolicyId] : []),
  ]);
  const { db } = deps.database;
  const writes: BatchQuery[] = [
    db.delete(policyRules).where(eq(policyRules.workspaceId, workspaceId)),
    db
      .update(workspaces)
      .set({ defaultPolicyId: input.defaultPolicyId })
      .where(eq(workspaces.id, workspaceId)),
  ];
  const rows = input.rules.map(({ groupId, policyId }, position) => ({
    workspaceId,
    position,
    groupId,
    policyId,
  }));
  for (const part of chunked(rows, rowsPerStatement(deps.database, 4)))
    writes.push(db.insert(policyRules).values(part));
  const after: PolicyAssignmentsView = {
    rules: input.rules.map(({ groupId, policyId }) => ({ groupId, policyId })),
    defaultPolicyId: input.defaultPolicyId,
  };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "policy.assignments",
    target: workspaceId,
    before,
    after,
    writes,
  });
  return after;
}
