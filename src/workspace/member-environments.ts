import { and, eq } from "drizzle-orm";
import type { InternetAccess, RepoPermission } from "../access/types";
import { OutboundError } from "../clients/types";
import { workspaceLinks } from "../db/schema/workspaces";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import {
  cancelInvitation,
  emailKey,
  type InvitationView,
  inviteEmails,
  listInvitations,
} from "./environment-invitations";
import {
  createEnvironment,
  type EnvironmentView,
  requireEnvironment,
  updateEnvironment,
} from "./environments";
import { repoPermission } from "./repo-permission";
import { getSnapshot } from "./snapshot";

// Members' own environments: a member with Codex cloud access creates one for a repository GitHub says their
// linked login can read (the source system's permissions win, DESIGN.md §4), and names collaborators by
// email, as the product does. An email no member has yet is kept as an invitation (environment-invitations.ts).
// The creator changes their environment's collaborators; Codex Admins and owners manage every environment.

export interface MemberEnvironmentInput {
  name: string;
  description?: string;
  repository: string;
  visibility?: "workspace" | "private";
  collaboratorEmails?: string[];
  internet?: InternetAccess;
  defaultMode?: "ask" | "code";
}

export type EnvironmentWithInvitations = EnvironmentView & { invitations: InvitationView[] };

/** Who changes an environment's collaborators: a member (or nobody, for an API key), and whether they manage every environment. */
export interface Editor {
  memberId: string | null;
  manager: boolean;
}

/**
 * What GitHub says `login` may do in `repository`, through the workspace's installations; null when none of
 * them could say. A GitHub failure is never taken for access.
 */
async function githubPermission(
  deps: Deps,
  workspaceId: string,
  login: string,
  repository: string,
): Promise<RepoPermission | null> {
  const installations = await deps.database.db
    .select({ externalId: workspaceLinks.externalId })
    .from(workspaceLinks)
    .where(and(eq(workspaceLinks.workspaceId, workspaceId), eq(workspaceLinks.kind, "github_installation")));
  let answer: RepoPermission | null = null;
  for (const { externalId } of installations) {
    try {
      const permission = await repoPermission(deps, { installationId: externalId, repository, login });
      if (permission !== "none") return permission;
      answer = "none";
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      deps.logger.warn({ repository, error: error.message }, "GitHub permission unavailable");
    }
  }
  return answer;
}

/** The member may create environments for `repository`: active, Codex cloud, and GitHub says they can read it. */
async function assertMayCreate(deps: Deps, workspaceId: string, memberId: string, repository: string) {
  const snapshot = await getSnapshot(deps, workspaceId);
  const entry = snapshot.members.get(memberId);
  if (!entry) throw new AppError("not_found", `No member ${memberId} in workspace ${workspaceId}.`);
  if (entry.member.status !== "active") throw new AppError("forbidden", "Your membership is deactivated.");
  // Owners hold every permission (access/checks.ts), Codex cloud included.
  const cloud =
    snapshot.snapshot.toggles.codexCloud && (entry.member.isOwner || entry.permissionSet.has("codex_cloud"));
  if (!cloud) {
    throw new AppError(
      "forbidden",
      "Creating environments needs Codex cloud access, which you do not have in this workspace. Ask a workspace owner for a role with Codex cloud.",
    );
  }
  const login = entry.member.identities.githubLogin;
  if (!login) {
    throw new AppError(
      "forbidden",
      `Connect your GitHub account first: Codex asks GitHub whether you can read ${repository} before creating an environment for it, and no GitHub login is linked to you.`,
    );
  }
  const permission = await githubPermission(deps, workspaceId, login, repository);
  if (permission === null) {
    throw new AppError(
      "forbidden",
      `GitHub could not say whether ${login} can read ${repository}: no GitHub App installation of this workspace answered for it. Install the app on that repository, or try again later.`,
    );
  }
  if (permission === "none") {
    throw new AppError(
      "forbidden",
      `GitHub says ${login} cannot read ${repository}, so you cannot create an environment for it. Ask for access to the repository on GitHub.`,
    );
  }
}

/** Emails split into the members they belong to and the ones nobody has yet. */
async function resolveEmails(deps: Deps, workspaceId: string, emails: readonly string[]) {
  const snapshot = await getSnapshot(deps, workspaceId);
  const memberIds: string[] = [];
  const unknown: string[] = [];
  for (const raw of emails) {
    const email = emailKey(raw);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      throw new AppError("invalid_body", `"${raw}" is not an email address.`);
    }
    const entry = snapshot.byEmail.get(email);
    if (entry) memberIds.push(entry.member.id);
    else unknown.push(email);
  }
  return { memberIds: [...new Set(memberIds)], unknown: [...new Set(unknown)] };
}

export async function withInvitations(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  env: EnvironmentView,
): Promise<EnvironmentWithInvitations> {
  return { ...env, invitations: await listInvitations(deps, workspaceId, env.id) };
}

/** A member creates their own environment (private unless they say otherwise); collaborators by email. */
export async function createMemberEnvironment(
  deps: Deps,
  input: { workspaceId: string; memberId: string; environment: MemberEnvironmentInput; actor: string },
): Promise<EnvironmentWithInvitations> {
  await assertMayCreate(deps, input.workspaceId, input.memberId, input.environment.repository);
  return createWithEmails(deps, { ...input, creatorId: input.memberId });
}

/**
 * An environment whose collaborators are named by email (members at once, others invited), for a creator a
 * Codex Admin chose: no GitHub check for the creator, as with every environment an admin makes.
 */
export async function createWithEmails(
  deps: Deps,
  input: { workspaceId: string; creatorId: string; environment: MemberEnvironmentInput; actor: string },
): Promise<EnvironmentWithInvitations> {
  const { workspaceId, creatorId: memberId, environment: e } = input;
  const { memberIds, unknown } = await resolveEmails(deps, workspaceId, e.collaboratorEmails ?? []);
  const env = await createEnvironment(
    deps,
    workspaceId,
    {
      name: e.name,
      description: e.description ?? "",
      repository: e.repository,
      visibility: e.visibility ?? "private",
      creatorId: memberId,
      collaboratorIds: memberIds.filter((id) => id !== memberId),
      internet: e.internet ?? { mode: "off" },
      ...(e.defaultMode ? { defaultMode: e.defaultMode } : {}),
    },
    input.actor,
  );
  await inviteEmails(deps, { workspaceId, environmentId: env.id, emails: unknown, actor: input.actor });
  return withInvitations(deps, workspaceId, env);
}

/** The environment, when `editor` may change its collaborators; 404 for a private one they cannot see. */
export async function assertMayEditCollaborators(
  deps: Deps,
  workspaceId: string,
  environmentId: string,
  editor: Editor,
) {
  const env = await requireEnvironment(deps, workspaceId, environmentId);
  if (editor.manager || (editor.memberId !== null && editor.memberId === env.creatorId)) return env;
  const snapshot = await getSnapshot(deps, workspaceId);
  const visible =
    env.visibility === "workspace" ||
    (editor.memberId !== null && env.collaboratorIds.includes(editor.memberId));
  // A private environment stays unknown to those who cannot see it.
  if (!visible || !editor.memberId || !snapshot.members.has(editor.memberId)) {
    throw new AppError("not_found", `No environment ${environmentId} in workspace ${workspaceId}.`);
  }
  throw new AppError(
    "forbidden",
    "Only the environment's creator, Codex Admins and workspace owners change its collaborators.",
  );
}

/** Adds a collaborator by email: a member at once, anyone else as an invitation. */
export async function addCollaboratorByEmail(
  deps: Deps,
  input: { workspaceId: string; environmentId: string; email: string; editor: Editor; actor: string },
): Promise<{ status: "added" | "invited" | "unchanged"; environment: EnvironmentWithInvitations }> {
  const { workspaceId, environmentId } = input;
  const env = await assertMayEditCollaborators(deps, workspaceId, environmentId, input.editor);
  const { memberIds, unknown } = await resolveEmails(deps, workspaceId, [input.email]);
  let status: "added" | "invited" | "unchanged" = "unchanged";
  let after = env;
  const memberId = memberIds[0];
  if (memberId) {
    if (memberId !== env.creatorId && !env.collaboratorIds.includes(memberId)) {
      after = await updateEnvironment(
        deps,
        workspaceId,
        environmentId,
        { addCollaboratorIds: [memberId] },
        input.actor,
      );
      status = "added";
    }
  } else {
    const pending = await listInvitations(deps, workspaceId, environmentId);
    if (!pending.some((p) => p.email === unknown[0])) {
      await inviteEmails(deps, { workspaceId, environmentId, emails: unknown, actor: input.actor });
      status = "invited";
    }
  }
  return { status, environment: await withInvitations(deps, workspaceId, after) };
}

/** Removes a collaborator, or withdraws the invitation, of an email. */
export async function removeCollaboratorByEmail(
  deps: Deps,
  input: { workspaceId: string; environmentId: string; email: string; editor: Editor; actor: string },
): Promise<EnvironmentWithInvitations> {
  const { workspaceId, environmentId } = input;
  const env = await assertMayEditCollaborators(deps, workspaceId, environmentId, input.editor);
  const email = emailKey(input.email);
  const snapshot = await getSnapshot(deps, workspaceId);
  const memberId = snapshot.byEmail.get(email)?.member.id;
  if (memberId && env.collaboratorIds.includes(memberId)) {
    const after = await updateEnvironment(
      deps,
      workspaceId,
      environmentId,
      { removeCollaboratorIds: [memberId] },
      input.actor,
    );
    return withInvitations(deps, workspaceId, after);
  }
  if (await cancelInvitation(deps, { workspaceId, environmentId, email, actor: input.actor })) {
    return withInvitations(deps, workspaceId, env);
  }
  throw new AppError("not_found", `${email} is neither a collaborator on nor invited to ${environmentId}.`);
}
