import { eq } from "drizzle-orm";
import { OutboundError, type SlackTarget } from "../../clients/types";
import { preparedQuery } from "../../db/prepared";
import { type SlackInstallationRow, slackInstallations } from "../../db/schema/slack";
import { workspaceLinks } from "../../db/schema/workspaces";
import type { BatchQuery } from "../../db/types";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { newId } from "../../lib/ids";
import { createSecretBox, type SealedAt, SealedValueError } from "../../lib/secret-box";
import { commitChange } from "../../workspace/change";
import { findWorkspaceByLink, getWorkspaceView } from "../../workspace/workspaces";

// Slack teams the hub serves: which workspace a team (or Enterprise Grid organization) belongs to, and the
// bot token an OAuth install left for it. A single-team hub configured with SLACK_BOT_TOKEN has no rows here.

type D = Pick<Deps, "database" | "config">;

export const installKeyOf = (target: { teamId?: string | null; enterpriseId?: string | null }) =>
  target.teamId ? `team:${target.teamId}` : `enterprise:${target.enterpriseId}`;

/** The hub workspace of a Slack team: the team's own link first, then its Enterprise Grid organization's. */
export async function workspaceForSlack(
  deps: Pick<Deps, "database">,
  target: { teamId: string; enterpriseId: string | null },
): Promise<{ id: string; name: string } | null> {
  const byTeam = await findWorkspaceByLink(deps, "slack_team", target.teamId);
  if (byTeam) return byTeam;
  return target.enterpriseId ? findWorkspaceByLink(deps, "slack_enterprise", target.enterpriseId) : null;
}

const installationByKey = preparedQuery((db, v: { key: string }) =>
  db.select().from(slackInstallations).where(eq(slackInstallations.installKey, v.key)).limit(1),
);

async function installationRow(
  deps: Pick<Deps, "database">,
  key: string,
): Promise<SlackInstallationRow | null> {
  const [row] = await installationByKey(deps.database.db).all({ key });
  return row ?? null;
}

/** A bot token is sealed bound to its installation's key, which a reinstall keeps (unlike the row's id). */
const tokenAt = (installKey: string): SealedAt => ({ column: slackInstallations.botToken, row: installKey });

/** The installation serving a team: a workspace install of the team, else an org-wide install. */
export async function findInstallation(
  deps: Pick<Deps, "database">,
  target: SlackTarget,
): Promise<SlackInstallationRow | null> {
  if (target.teamId) {
    const row = await installationRow(deps, installKeyOf({ teamId: target.teamId }));
    if (row) return row;
  }
  return target.enterpriseId
    ? installationRow(deps, installKeyOf({ enterpriseId: target.enterpriseId }))
    : null;
}

/** An installation's bot token, opened from its sealed form (SealedValueError when it does not open). */
export function openBotToken(deps: Pick<Deps, "config">, row: SlackInstallationRow): Promise<string> {
  return createSecretBox(deps.config.encryptionKey).open(row.botToken, tokenAt(row.installKey));
}

/** The bot token for a team, opened from its sealed form; undefined when no OAuth install serves the team. */
export async function installationToken(deps: D, target: SlackTarget): Promise<string | undefined> {
  const row = await findInstallation(deps, target);
  return row ? openBotToken(deps, row) : undefined;
}

/**
 * The Slack client's `tokenFor` (src/clients/slack.ts): each call for an installed team goes out with that
 * team's bot token; teams without an installation fall back to SLACK_BOT_TOKEN.
 */
export const slackTokenProvider =
  (deps: D) =>
  (target: SlackTarget): Promise<string | undefined> =>
    installationToken(deps, target).catch((error) => {
      // A token that does not open here will not open on a retry either: the call fails with the reason.
      if (error instanceof SealedValueError) throw new OutboundError(`slack: ${error.message}`, false);
      throw error;
    });

/** What Slack's `oauth.v2.access` answered, reduced to what an installation keeps. */
export interface SlackInstall {
  teamId: string | null;
  teamName: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  appId: string | null;
  botUserId: string | null;
  botToken: string;
  scopes: string;
  installedBy: string | null;
}

/**
 * Stores an installation (token sealed) and links its team, or for an org-wide install its organization, to
 * the workspace, in one audited change. Reinstalling replaces the token; a team already linked to another
 * workspace is refused rather than moved.
 */
export async function saveInstallation(
  deps: Pick<Deps, "database" | "config" | "clock">,
  workspaceId: string,
  install: SlackInstall,
  actor: string,
): Promise<{ installKey: string; linked: boolean }> {
  const kind = install.isEnterpriseInstall ? "slack_enterprise" : "slack_team";
  const externalId = install.isEnterpriseInstall ? install.enterpriseId : install.teamId;
  if (!externalId) throw new AppError("invalid_body", "Slack's answer named no team or organization.");
  const owner = await findWorkspaceByLink(deps, kind, externalId);
  if (owner && owner.id !== workspaceId) {
    throw new AppError(
      "conflict",
      `That Slack ${install.isEnterpriseInstall ? "organization" : "team"} is already connected to another workspace.`,
    );
  }
  const installKey = install.isEnterpriseInstall
    ? installKeyOf({ enterpriseId: externalId })
    : installKeyOf({ teamId: externalId });
  const sealed = await createSecretBox(deps.config.encryptionKey).seal(install.botToken, tokenAt(installKey));
  const now = deps.clock.now();
  const before = await getWorkspaceView(deps, workspaceId);
  const { db } = deps.database;
  const values = {
    workspaceId,
    installKey,
    teamId: install.isEnterpriseInstall ? null : install.teamId,
    teamName: install.teamName,
    enterpriseId: install.enterpriseId,
    appId: install.appId,
    botUserId: install.botUserId,
    botToken: sealed,
    scopes: install.scopes,
    installedBy: install.installedBy,
    updatedAt: now,
  };
  const writes: BatchQuery[] = [
    db
      .insert(slackInstallations)
      .values({ id: newId("sli"), ...values, createdAt: now })
      .onConflictDoUpdate({ target: slackInstallations.installKey, set: values }),
  ];
  if (!owner) {
    writes.push(db.insert(workspaceLinks).values({ workspaceId, kind, externalId, createdAt: now }));
  }
  // The audit record says what was installed, never the token.
  const { botToken: _token, ...shown } = install;
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "slack.install",
    target: `${kind}:${externalId}`,
    before: { links: before.links },
    after: { links: owner ? before.links : [...before.links, { kind, externalId }], install: shown },
    writes,
    conflict: `Slack ${externalId} is already connected to another workspace.`,
  });
  return { installKey, linked: !owner };
}
