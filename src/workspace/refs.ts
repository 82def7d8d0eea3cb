import { and, eq, inArray } from "drizzle-orm";
import { apps, groups, managedPolicies, members, roles } from "../db/schema/access";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { chunked, idsPerStatement } from "./chunks";

// References inside a body (app audiences, plugin apps, policy rules) must name things of the same
// workspace: an id from elsewhere would silently never match, which is how access rules go wrong unnoticed.

const tables = { member: members, group: groups, role: roles, app: apps, policy: managedPolicies } as const;

export type RefKind = keyof typeof tables;

export async function assertRefs(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  kind: RefKind,
  ids: readonly string[],
): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const table = tables[kind];
  const found = await Promise.all(
    chunked(unique, idsPerStatement(deps.database)).map((part) =>
      deps.database.db
        .select({ id: table.id })
        .from(table)
        .where(and(eq(table.workspaceId, workspaceId), inArray(table.id, part))),
    ),
  );
  const known = new Set(found.flat().map((f) => f.id));
  const unknown = unique.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new AppError(
      "invalid_body",
      `Unknown ${kind} id(s) in workspace ${workspaceId}: ${unknown.join(", ")}.`,
      {
        [`unknown_${kind}_ids`]: unknown,
      },
    );
  }
}
