import { and, asc, eq } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { commitChange } from "./change";
import { requireWorkspaceRow } from "./workspaces";

// Apps and plugins are each one row of their table, shown without its workspaceId. Only what the row may
// point at (`checkRefs`) differs, so this serves both (apps.ts, plugins.ts); its functions have the shapes
// `resourceRoutes` calls, and the console calls the same ones.

type WorkspaceTable = SQLiteTable & { id: SQLiteColumn; workspaceId: SQLiteColumn; createdAt: SQLiteColumn };
type D = Pick<Deps, "database" | "clock">;

export function workspaceTableService<
  T extends WorkspaceTable,
  Fields = Omit<T["$inferSelect"], "id" | "workspaceId" | "createdAt">,
>(
  table: T,
  options: {
    /** In errors ("No app … in workspace …") and audit actions ("app.create"). */
    noun: string;
    idPrefix: string;
    /** Refuses a create or change that names what the workspace does not have. */
    checkRefs: (deps: D, workspaceId: string, fields: Partial<Fields>) => Promise<void>;
  },
) {
  type Row = T["$inferSelect"];
  const { noun, idPrefix, checkRefs } = options;
  const toView = ({ workspaceId: _w, ...row }: Row): Omit<Row, "workspaceId"> => row;
  const db = (deps: Pick<Deps, "database">) => deps.database.db;

  async function get(deps: Pick<Deps, "database">, workspaceId: string, id: string) {
    const [row] = (await db(deps)
      .select()
      .from(table as WorkspaceTable)
      .where(and(eq(table.workspaceId, workspaceId), eq(table.id, id)))
      .limit(1)) as Row[];
    if (!row) throw new AppError("not_found", `No ${noun} ${id} in workspace ${workspaceId}.`);
    return toView(row);
  }

  return {
    get,
    async list(deps: Pick<Deps, "database">, workspaceId: string) {
      await requireWorkspaceRow(deps, workspaceId);
      const rows = (await db(deps)
        .select()
        .from(table as WorkspaceTable)
        .where(eq(table.workspaceId, workspaceId))
        .orderBy(asc(table.createdAt), asc(table.id))) as Row[];
      return rows.map(toView);
    },
    async create(deps: D, workspaceId: string, input: Fields, actor: string) {
      await requireWorkspaceRow(deps, workspaceId);
      await checkRefs(deps, workspaceId, input);
      const row = { id: newId(idPrefix), workspaceId, ...input, createdAt: deps.clock.now() } as Row;
      const after = toView(row);
      await commitChange(deps, {
        workspaceId,
        actor,
        action: `${noun}.create`,
        target: row.id,
        after,
        writes: [db(deps).insert(table).values(row)],
      });
      return after;
    },
    async update(deps: D, workspaceId: string, id: string, patch: Partial<Fields>, actor: string) {
      const before = await get(deps, workspaceId, id);
      await checkRefs(deps, workspaceId, patch);
      const after = { ...before, ...patch };
      await commitChange(deps, {
        workspaceId,
        actor,
        action: `${noun}.update`,
        target: id,
        before,
        after,
        writes: [
          db(deps)
            .update(table)
            .set(patch as SQLiteUpdateSetSource<T>)
            .where(eq(table.id, id)),
        ],
      });
      return after;
    },
    async remove(deps: D, workspaceId: string, id: string, actor: string) {
      const before = await get(deps, workspaceId, id);
      await commitChange(deps, {
        workspaceId,
        actor,
        action: `${noun}.delete`,
        target: id,
        before,
        writes: [db(deps).delete(table).where(eq(table.id, id))],
      });
      return before;
    },
  };
}
