import { and, asc, eq } from "drizzle-orm";
import { DEFAULT_TOGGLES, type WorkspaceToggles } from "../access/types";
import { preparedQuery } from "../db/prepared";
import { apps, members } from "../db/schema/access";
import {
  type WorkspaceLinkKind,
  type WorkspaceRow,
  workspaceLinks,
  workspaces,
} from "../db/schema/workspaces";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { auditQuery } from "../governance/audit";
import { newId } from "../lib/ids";
import { commitChange } from "./change";
import { sandboxSeedQueries } from "./sandbox-seed";

export type { WorkspaceLinkKind };

export interface WorkspaceView {
  id: string;
  name: string;
  toggles: WorkspaceToggles;
  defaultRoleId: string | null;
  defaultPolicyId: string | null;
  links: { kind: WorkspaceLinkKind; externalId: string }[];
  createdAt: number;
  updatedAt: number;
}

/** The single workspace a self-hosted hub starts with; a fixed id keeps its creation idempotent. */
export const LOCAL_WORKSPACE_ID = "ws_local";
export const LOCAL_OWNER_ID = "mem_local_owner";
/** Change it with PATCH /api/v1/workspaces/ws_local/members/mem_local_owner. */
export const LOCAL_OWNER_EMAIL = "admin@example.com";

export const togglesOf = (row: WorkspaceRow): WorkspaceToggles => ({
  codexLocal: row.codexLocal,
  codexCloud: row.codexCloud,
  githubConnector: row.githubConnector,
  codeReview: row.codeReview,
  slackFullAnswers: row.slackFullAnswers,
  linearFullAnswers: row.linearFullAnswers,
  agentInternet: row.agentInternet,
  zeroDataRetention: row.zeroDataRetention,
});

export async function requireWorkspaceRow(
  deps: Pick<Deps, "database">,
  workspaceId: string,
): Promise<WorkspaceRow> {
  const [row] = await deps.database.db
    .select()
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  if (!row) throw new AppError("not_found", `No workspace ${workspaceId}.`);
  return row;
}

/** Changes some workspace switches (the rest keep their value), audited with before → after. */
export async function updateToggles(
  deps: Pick<Deps, "database" | "clock">,
  workspaceId: string,
  patch: Partial<WorkspaceToggles>,
  actor: string,
): Promise<WorkspaceToggles> {
  const before = togglesOf(await requireWorkspaceRow(deps, workspaceId));
  const after = { ...before, ...patch };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "toggles.update",
    target: workspaceId,
    before,
    after,
    writes: [deps.database.db.update(workspaces).set(patch).where(eq(workspaces.id, workspaceId))],
  });
  return after;
}

export async function getWorkspaceView(
  deps: Pick<Deps, "database">,
  workspaceId: string,
): Promise<WorkspaceView> {
  const row = await requireWorkspaceRow(deps, workspaceId);
  const links = await deps.database.db
    .select({ kind: workspaceLinks.kind, externalId: workspaceLinks.externalId })
    .from(workspaceLinks)
    .where(eq(workspaceLinks.workspaceId, workspaceId))
    .orderBy(asc(workspaceLinks.kind), asc(workspaceLinks.externalId));
  return {
    id: row.id,
    name: row.name,
    toggles: togglesOf(row),
    defaultRoleId: row.defaultRoleId,
    defaultPolicyId: row.defaultPolicyId,
    links,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function listWorkspaceIds(deps: Pick<Deps, "database">): Promise<string[]> {
  const rows = await deps.database.db
    .select({ id: workspaces.id })
    .from(workspaces)
    .orderBy(asc(workspaces.createdAt));
  return rows.map((r) => r.id);
}

const workspaceByLink = preparedQuery((db, v: { kind: WorkspaceLinkKind; externalId: string }) =>
  db
    .select({ id: workspaces.id, name: workspaces.name })
    .from(workspaceLinks)
    .innerJoin(workspaces, eq(workspaces.id, workspaceLinks.workspaceId))
    .where(and(eq(workspaceLinks.kind, v.kind), eq(workspaceLinks.externalId, v.externalId)))
    .limit(1),
);

/** Which workspace a platform tenant belongs to: how every inbound event finds its workspace. */
export async function findWorkspaceByLink(
  deps: Pick<Deps, "database">,
  kind: WorkspaceLinkKind,
  externalId: string,
): Promise<{ id: string; name: string } | null> {
  const [row] = await workspaceByLink(deps.database.db).all({ kind, externalId });
  return row ?? null;
}

/**
 * The rows of a new workspace: default switches, one owner, and the Slack, GitHub and Linear integration apps
 * (enabled, published, open to all, read-write) so linking a platform is enough to start. Every insert is
 * ON CONFLICT DO NOTHING, so running the same creation twice changes nothing.
 */
export function newWorkspaceQueries(
  deps: Pick<Deps, "database" | "clock">,
  input: {
    id: string;
    name: string;
    owner: { id: string; email: string };
    toggles?: Partial<WorkspaceToggles>;
  },
): BatchQuery[] {
  const { db } = deps.database;
  const now = deps.clock.now();
  const integration = (kind: "slack" | "github" | "linear", name: string, offset: number) => ({
    id: `app_${input.id}_${kind}`,
    workspaceId: input.id,
    name,
    kind,
    enabled: true,
    status: "published" as const,
    access: { type: "all" as const },
    mode: "read_write" as const,
    confirmWrites: false,
    // Distinct creation times keep "the first app of a kind" stable.
    createdAt: now + offset,
  });
  return [
    db
      .insert(workspaces)
      .values({
        id: input.id,
        name: input.name,
        ...DEFAULT_TOGGLES,
        ...input.toggles,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing(),
    db
      .insert(members)
      .values({
        id: input.owner.id,
        workspaceId: input.id,
        email: input.owner.email.toLowerCase(),
        isOwner: true,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing(),
    db
      .insert(apps)
      .values([
        integration("slack", "Slack", 0),
        integration("github", "GitHub", 1),
        integration("linear", "Linear", 2),
      ])
      .onConflictDoNothing(),
  ];
}

export async function createWorkspace(
  deps: Pick<Deps, "database" | "clock">,
  input: { name: string; ownerEmail: string },
  actor: string,
): Promise<WorkspaceView> {
  const id = newId("ws");
  const writes = newWorkspaceQueries(deps, {
    id,
    name: input.name,
    owner: { id: newId("mem"), email: input.ownerEmail },
  });
  const audit = auditQuery(deps, { workspaceId: id, actor, action: "workspace.create", target: id });
  await deps.database.batch([...writes, ...audit.queries]);
  return getWorkspaceView(deps, id);
}

/**
 * At boot: creates the local workspace when the hub has none. Idempotent (fixed ids, ON CONFLICT DO NOTHING),
 * so concurrent starts are harmless. In sandbox mode it also seeds what the offline demo drives.
 */
export async function ensureLocalWorkspace(deps: Pick<Deps, "database" | "clock" | "config">): Promise<void> {
  const [existing] = await deps.database.db.select({ id: workspaces.id }).from(workspaces).limit(1);
  if (existing) return;
  const sandbox = deps.config.sandbox;
  const queries = newWorkspaceQueries(deps, {
    id: LOCAL_WORKSPACE_ID,
    name: sandbox ? "Sandbox workspace" : "Local workspace",
    owner: { id: LOCAL_OWNER_ID, email: LOCAL_OWNER_EMAIL },
    toggles: sandbox ? { codexCloud: true, githubConnector: true, codeReview: true } : {},
  });
  if (sandbox) queries.push(...sandboxSeedQueries(deps, LOCAL_WORKSPACE_ID, LOCAL_OWNER_ID));
  const audit = auditQuery(deps, {
    workspaceId: LOCAL_WORKSPACE_ID,
    actor: "system",
    action: "workspace.create",
    target: LOCAL_WORKSPACE_ID,
    after: { sandbox },
  });
  await deps.database.batch([...queries, ...audit.queries]);
}
