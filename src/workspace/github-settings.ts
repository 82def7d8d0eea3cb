import { and, asc, eq } from "drizzle-orm";
import type { z } from "zod";
import { preparedQuery } from "../db/prepared";
import { githubBotAllowlist, githubReviewOptIns, githubReviewSettings } from "../db/schema/github";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { auditQuery } from "../governance/audit";
import { type RepoReviewSettings, repoReviewSettingsSchema } from "../routing/review-triggers";
import { requireMember } from "./members";
import { requireWorkspaceRow } from "./workspaces";

// Review settings per repository, members' opt-in to reviews of their own pull requests and the bot
// allow-list: the GitHub settings admins change through the API (and `/codex repo ...`). Every change is audited (who, before → after). None of this is access data, so the workspace's access
// snapshot is left alone.

type D = Pick<Deps, "database" | "clock">;

export type RepoReviewSettingsInput = z.input<typeof repoReviewSettingsSchema>;

/** `owner/name`, lower-cased: the key settings and reviews are stored under. */
export function repositoryKey(repository: string): string {
  const key = repository.trim().toLowerCase();
  if (!/^[\w.-]+\/[\w.-]+$/.test(key)) {
    throw new AppError("invalid_body", `"${repository}" is not a repository name (owner/name).`);
  }
  return key;
}

export interface RepoReviewSettingsView {
  repository: string;
  settings: RepoReviewSettings;
  /** False: nobody configured this repository; the defaults apply. */
  configured: boolean;
  updatedBy: string | null;
  updatedAt: number | null;
}

const repoSettingsRow = preparedQuery((db, v: { workspaceId: string; repository: string }) =>
  db
    .select()
    .from(githubReviewSettings)
    .where(
      and(
        eq(githubReviewSettings.workspaceId, v.workspaceId),
        eq(githubReviewSettings.repository, v.repository),
      ),
    )
    .limit(1),
);

export async function getRepoReviewSettings(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  repository: string,
): Promise<RepoReviewSettingsView> {
  const key = repositoryKey(repository);
  const [row] = await repoSettingsRow(deps.database.db).all({ workspaceId, repository: key });
  if (!row) {
    return {
      repository: key,
      settings: repoReviewSettingsSchema.parse({}),
      configured: false,
      updatedBy: null,
      updatedAt: null,
    };
  }
  // Parsed again so settings stored before a new option existed get that option's default.
  const parsed = repoReviewSettingsSchema.safeParse(row.settings);
  return {
    repository: key,
    settings: parsed.success ? parsed.data : repoReviewSettingsSchema.parse({}),
    configured: true,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
  };
}

export async function listRepoReviewSettings(
  deps: Pick<Deps, "database">,
  workspaceId: string,
): Promise<RepoReviewSettingsView[]> {
  const rows = await deps.database.db
    .select()
    .from(githubReviewSettings)
    .where(eq(githubReviewSettings.workspaceId, workspaceId))
    .orderBy(asc(githubReviewSettings.repository));
  return rows.map((row) => {
    const parsed = repoReviewSettingsSchema.safeParse(row.settings);
    return {
      repository: row.repository,
      settings: parsed.success ? parsed.data : repoReviewSettingsSchema.parse({}),
      configured: true,
      updatedBy: row.updatedBy,
      updatedAt: row.updatedAt,
    };
  });
}

/** Changes some settings of a repository (the rest keep their current value); returns the result. */
export async function updateRepoReviewSettings(
  deps: D,
  input: { workspaceId: string; repository: string; patch: Partial<RepoReviewSettingsInput>; actor: string },
): Promise<RepoReviewSettingsView> {
  await requireWorkspaceRow(deps, input.workspaceId);
  const before = await getRepoReviewSettings(deps, input.workspaceId, input.repository);
  const parsed = repoReviewSettingsSchema.safeParse({ ...before.settings, ...input.patch });
  if (!parsed.success) {
    throw new AppError("invalid_body", "The review settings are not valid.", {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  const now = deps.clock.now();
  const row = {
    workspaceId: input.workspaceId,
    repository: before.repository,
    settings: parsed.data,
    updatedBy: input.actor,
    updatedAt: now,
  };
  const audit = auditQuery(deps, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "github.review_settings.update",
    target: before.repository,
    before: before.configured ? before.settings : null,
    after: parsed.data,
  });
  await deps.database.batch([
    deps.database.db
      .insert(githubReviewSettings)
      .values(row)
      .onConflictDoUpdate({
        target: [githubReviewSettings.workspaceId, githubReviewSettings.repository],
        set: { settings: parsed.data, updatedBy: input.actor, updatedAt: now },
      }),
    ...audit.queries,
  ]);
  return {
    repository: before.repository,
    settings: parsed.data,
    configured: true,
    updatedBy: input.actor,
    updatedAt: now,
  };
}

const optInRow = preparedQuery((db, v: { workspaceId: string; memberId: string }) =>
  db
    .select({ enabled: githubReviewOptIns.enabled })
    .from(githubReviewOptIns)
    .where(
      and(eq(githubReviewOptIns.workspaceId, v.workspaceId), eq(githubReviewOptIns.memberId, v.memberId)),
    )
    .limit(1),
);

export async function getReviewOptIn(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  memberId: string,
): Promise<boolean> {
  const [row] = await optInRow(deps.database.db).all({ workspaceId, memberId });
  return row?.enabled ?? false;
}

/** A member turns automatic reviews of their own pull requests on or off (`/codex review-my-prs on`). */
export async function setReviewOptIn(
  deps: D,
  input: { workspaceId: string; memberId: string; enabled: boolean; actor: string },
): Promise<boolean> {
  await requireMember(deps, input.workspaceId, input.memberId);
  const before = await getReviewOptIn(deps, input.workspaceId, input.memberId);
  const now = deps.clock.now();
  const audit = auditQuery(deps, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "github.review_opt_in.update",
    target: input.memberId,
    before: { enabled: before },
    after: { enabled: input.enabled },
  });
  await deps.database.batch([
    deps.database.db
      .insert(githubReviewOptIns)
      .values({
        workspaceId: input.workspaceId,
        memberId: input.memberId,
        enabled: input.enabled,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [githubReviewOptIns.workspaceId, githubReviewOptIns.memberId],
        set: { enabled: input.enabled, updatedAt: now },
      }),
    ...audit.queries,
  ]);
  return input.enabled;
}

export interface AllowedBot {
  login: string;
  addedBy: string;
  createdAt: number;
}

const allowedBotRows = preparedQuery((db, v: { workspaceId: string }) =>
  db
    .select({
      login: githubBotAllowlist.login,
      addedBy: githubBotAllowlist.addedBy,
      createdAt: githubBotAllowlist.createdAt,
    })
    .from(githubBotAllowlist)
    .where(eq(githubBotAllowlist.workspaceId, v.workspaceId))
    .orderBy(asc(githubBotAllowlist.login)),
);

export async function listAllowedBots(
  deps: Pick<Deps, "database">,
  workspaceId: string,
): Promise<AllowedBot[]> {
  return await allowedBotRows(deps.database.db).all({ workspaceId });
}

const botKey = (login: string) => {
  const key = login.trim().toLowerCase();
  if (!/^[a-z\d](?:[a-z\d-]*[a-z\d])?(?:\[bot\])?$/.test(key)) {
    throw new AppError("invalid_body", `"${login}" is not a GitHub login (e.g. dependabot[bot]).`);
  }
  return key;
};

export async function allowBot(deps: D, input: { workspaceId: string; login: string; actor: string }) {
  await requireWorkspaceRow(deps, input.workspaceId);
  const login = botKey(input.login);
  const audit = auditQuery(deps, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "github.bot_allowlist.add",
    target: login,
    after: { login },
  });
  await deps.database.batch([
    deps.database.db
      .insert(githubBotAllowlist)
      .values({ workspaceId: input.workspaceId, login, addedBy: input.actor, createdAt: deps.clock.now() })
      .onConflictDoNothing(),
    ...audit.queries,
  ]);
  return login;
}

export async function disallowBot(deps: D, input: { workspaceId: string; login: string; actor: string }) {
  const login = botKey(input.login);
  const removed = await deps.database.db
    .delete(githubBotAllowlist)
    .where(and(eq(githubBotAllowlist.workspaceId, input.workspaceId), eq(githubBotAllowlist.login, login)))
    .returning({ login: githubBotAllowlist.login });
  if (removed.length === 0) throw new AppError("not_found", `${login} is not on the bot allow-list.`);
  await deps.database.batch(
    auditQuery(deps, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: "github.bot_allowlist.remove",
      target: login,
      before: { login },
    }).queries,
  );
}
