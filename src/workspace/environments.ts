import { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray } from "drizzle-orm";
import { INTERNET_PRESET_NAMES } from "../access/internet-presets";
import type { Environment, InternetAccess } from "../access/types";
import { type EnvironmentRow, environmentCollaborators, environments } from "../db/schema/access";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { TASK_MODES } from "../tasks/types";
import { commitChange } from "./change";
import { chunked, idsPerStatement, rowsPerStatement } from "./chunks";
import { nameSchema, nonEmptyPatch } from "./field-schemas";
import { assertRefs } from "./refs";
import { requireWorkspaceRow } from "./workspaces";

type D = Pick<Deps, "database" | "clock">;

export interface EnvironmentView extends Omit<EnvironmentRow, "workspaceId"> {
  collaboratorIds: string[];
}

/** What an admin writes is the environment the access rules read, less the id the hub assigns. */
export type EnvironmentInput = Omit<Environment, "id">;

// What an environment may be written as, shared by the admin API and the console's forms so both refuse the
// same input with the same words.

/** HTTP methods an internet allowlist may open. */
export const INTERNET_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;

const domainName = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/;
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const isIpv6 = (v: string) => /^[0-9a-f:.]+$/.test(v) && v.includes(":") && URL.canParse(`http://[${v}]/`);

/** An allowlist entry, matched as access/internet.ts says: a host, `*.` and a domain, `localhost`, or an IP. */
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .refine(
    (v) => domainName.test(v) || v === "localhost" || ipv4.test(v) || isIpv6(v),
    "must be a domain name such as registry.npmjs.org or *.pypi.org (every subdomain of pypi.org), localhost, or an IP address",
  );

export const internetSchema = z
  .discriminatedUnion("mode", [
    z.object({ mode: z.literal("off") }),
    z
      .object({
        mode: z.literal("allowlist"),
        domains: z.array(domain),
        methods: z.array(z.enum(INTERNET_METHODS)).min(1),
        presets: z
          .array(z.enum(INTERNET_PRESET_NAMES))
          .optional()
          .describe(
            `Named host lists added to the domains (${INTERNET_PRESET_NAMES.join(", ")}); GET /api/v1/internet-presets lists their hosts`,
          ),
      })
      .refine((v) => v.domains.length > 0 || (v.presets?.length ?? 0) > 0, {
        path: ["domains"],
        message: "an allowlist needs at least one domain or preset",
      }),
  ])
  .openapi("InternetAccess");

export const environmentFields = {
  name: nameSchema,
  description: z.string().max(2000),
  repository: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "must be a GitHub repository as owner/name"),
  visibility: z.enum(["workspace", "private"]).describe("private: only the creator and collaborators see it"),
  creatorId: z.string().min(1),
  collaboratorIds: z.array(z.string().min(1)).describe("Members who see and may edit the environment"),
  internet: internetSchema,
  defaultMode: z
    .enum(TASK_MODES)
    .describe(
      "The mode of a request that starts with neither `ask:` nor `code:`. ask: Codex answers read-only and never pushes or opens a pull request; code: it may change files and open one",
    ),
};

export const environmentCreateSchema = z
  .object({
    ...environmentFields,
    description: environmentFields.description.default(""),
    visibility: environmentFields.visibility.default("workspace"),
    collaboratorIds: environmentFields.collaboratorIds.default([]),
    internet: internetSchema.default({ mode: "off" }),
    defaultMode: environmentFields.defaultMode.default("code"),
  })
  .strict();

export const environmentPatchSchema = nonEmptyPatch(z.object(environmentFields).partial().strict());

export async function listEnvironments(deps: Pick<Deps, "database">, workspaceId: string, ids?: string[]) {
  await requireWorkspaceRow(deps, workspaceId);
  const { db } = deps.database;
  const where = and(
    eq(environments.workspaceId, workspaceId),
    ids ? inArray(environments.id, ids) : undefined,
  );
  const [rows, collaborators] = await Promise.all([
    db.select().from(environments).where(where).orderBy(asc(environments.createdAt), asc(environments.id)),
    db.select().from(environmentCollaborators).where(eq(environmentCollaborators.workspaceId, workspaceId)),
  ]);
  return rows.map(
    ({ workspaceId: _w, ...row }): EnvironmentView => ({
      ...row,
      collaboratorIds: collaborators
        .filter((c) => c.environmentId === row.id)
        .map((c) => c.memberId)
        .sort(),
    }),
  );
}

export async function requireEnvironment(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  environmentId: string,
) {
  const [env] = await listEnvironments(deps, workspaceId, [environmentId]);
  if (!env) throw new AppError("not_found", `No environment ${environmentId} in workspace ${workspaceId}.`);
  return env;
}

/** "Only where the workspace allows it": an allowlist needs the workspace's agent internet switch on. */
async function assertInternetAllowed(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  internet?: InternetAccess,
) {
  if (internet?.mode !== "allowlist") return;
  const ws = await requireWorkspaceRow(deps, workspaceId);
  if (!ws.agentInternet) {
    throw new AppError(
      "conflict",
      'This workspace does not allow agent internet access; turn on "agentInternet" in the workspace switches first.',
    );
  }
}

/** Collaborator inserts and deletes, split to fit D1's parameter limit. */
function insertCollaborators(deps: D, workspaceId: string, environmentId: string, ids: readonly string[]) {
  const rows = [...new Set(ids)].map((memberId) => ({ workspaceId, environmentId, memberId }));
  return chunked(rows, rowsPerStatement(deps.database, 3)).map((part) =>
    deps.database.db.insert(environmentCollaborators).values(part).onConflictDoNothing(),
  );
}

function deleteCollaborators(deps: D, environmentId: string, ids: readonly string[]) {
  return chunked(ids, idsPerStatement(deps.database)).map((part) =>
    deps.database.db
      .delete(environmentCollaborators)
      .where(
        and(
          eq(environmentCollaborators.environmentId, environmentId),
          inArray(environmentCollaborators.memberId, part),
        ),
      ),
  );
}

export async function createEnvironment(
  deps: D,
  workspaceId: string,
  input: EnvironmentInput,
  actor: string,
) {
  await requireWorkspaceRow(deps, workspaceId);
  await assertRefs(deps, workspaceId, "member", [input.creatorId, ...input.collaboratorIds]);
  await assertInternetAllowed(deps, workspaceId, input.internet);
  const now = deps.clock.now();
  const { collaboratorIds, ...fields } = input;
  const row: EnvironmentRow = {
    id: newId("env"),
    workspaceId,
    ...fields,
    defaultMode: fields.defaultMode ?? "code",
    createdAt: now,
    updatedAt: now,
  };
  const { db } = deps.database;
  const writes: BatchQuery[] = [db.insert(environments).values(row)];
  writes.push(...insertCollaborators(deps, workspaceId, row.id, collaboratorIds));
  const { workspaceId: _w, ...rest } = row;
  const after: EnvironmentView = { ...rest, collaboratorIds: [...new Set(collaboratorIds)].sort() };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "environment.create",
    target: row.id,
    after,
    writes,
    conflict: `An environment named ${input.name} already exists.`,
  });
  return after;
}

export async function updateEnvironment(
  deps: D,
  workspaceId: string,
  environmentId: string,
  patch: Partial<EnvironmentInput> & { addCollaboratorIds?: string[]; removeCollaboratorIds?: string[] },
  actor: string,
) {
  const before = await requireEnvironment(deps, workspaceId, environmentId);
  const { collaboratorIds, addCollaboratorIds = [], removeCollaboratorIds = [], ...fields } = patch;
  await assertRefs(deps, workspaceId, "member", [
    ...(fields.creatorId ? [fields.creatorId] : []),
    ...(collaboratorIds ?? []),
    ...addCollaboratorIds,
  ]);
  await assertInternetAllowed(deps, workspaceId, fields.internet);
  const next = new Set(collaboratorIds ?? before.collaboratorIds);
  for (const id of addCollaboratorIds) next.add(id);
  for (const id of removeCollaboratorIds) next.delete(id);
  const added = [...next].filter((id) => !before.collaboratorIds.includes(id));
  const removed = before.collaboratorIds.filter((id) => !next.has(id));
  const now = deps.clock.now();
  const { db } = deps.database;
  const writes: BatchQuery[] = [
    db
      .update(environments)
      .set({ ...fields, updatedAt: now })
      .where(eq(environments.id, environmentId)),
  ];
  writes.push(
    ...insertCollaborators(deps, workspaceId, environmentId, added),
    ...deleteCollaborators(deps, environmentId, removed),
  );
  const after: EnvironmentView = { ...before, ...fields, collaboratorIds: [...next].sort(), updatedAt: now };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "environment.update",
    target: environmentId,
    before,
    after,
    writes,
    conflict: `An environment named ${fields.name} already exists.`,
  });
  return after;
}

export async function deleteEnvironment(deps: D, workspaceId: string, environmentId: string, actor: string) {
  const before = await requireEnvironment(deps, workspaceId, environmentId);
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "environment.delete",
    target: environmentId,
    before,
    writes: [deps.database.db.delete(environments).where(eq(environments.id, environmentId))],
  });
  return before;
}
