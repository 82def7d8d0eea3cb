import { asc, eq } from "drizzle-orm";
import { authTest } from "../../clients/slack/calls";
import { type WorkspaceLinkKind, workspaceLinks, workspaces } from "../../db/schema/workspaces";
import type { Deps } from "../../deps";
import { commitChange } from "../../workspace/change";
import { findWorkspaceByLink, LOCAL_WORKSPACE_ID } from "../../workspace/workspaces";
import { workspaceForSlack } from "./installations";

// A hub configured with SLACK_BOT_TOKEN serves the one Slack team that token belongs to, but nothing in the
// configuration names that team. Slack's `auth.test` (https://api.slack.com/methods/auth.test) says which team
// (and Enterprise Grid organization) the token is for; the hub links that team to its local workspace the first
// time it is needed, so mentions and `/codex` work without a manual link. A team already linked anywhere is
// left where it is: an admin's choice always wins over this guess.

type D = Pick<Deps, "config" | "clients" | "database" | "clock" | "logger">;

/** Who the audit log names for links made from `auth.test`. */
export const AUTH_TEST_ACTOR = "system:auth.test";

export interface BotTokenTeam {
  teamId: string;
  teamName: string | null;
  enterpriseId: string | null;
}

/** The team SLACK_BOT_TOKEN belongs to, asked of Slack; null without a token or when Slack does not say. */
export async function botTokenTeam(
  deps: Pick<Deps, "config" | "clients" | "logger">,
): Promise<BotTokenTeam | null> {
  if (!deps.config.slack.botToken) return null;
  const answer = (await deps.clients.slack.send(authTest()).catch((error: Error) => {
    deps.logger.warn({ error: error.message }, "Slack auth.test failed: the bot token's team is not linked");
    return null;
  })) as { team_id?: unknown; team?: unknown; enterprise_id?: unknown } | null;
  if (typeof answer?.team_id !== "string" || answer.team_id === "") return null;
  return {
    teamId: answer.team_id,
    teamName: typeof answer.team === "string" ? answer.team : null,
    enterpriseId:
      typeof answer.enterprise_id === "string" && answer.enterprise_id !== "" ? answer.enterprise_id : null,
  };
}

/** The workspace a single-team hub means: the local one, or else the only workspace there is. */
async function localWorkspaceId(deps: Pick<Deps, "database">): Promise<string | null> {
  const rows = await deps.database.db
    .select({ id: workspaces.id })
    .from(workspaces)
    .orderBy(asc(workspaces.createdAt));
  if (rows.some((r) => r.id === LOCAL_WORKSPACE_ID)) return LOCAL_WORKSPACE_ID;
  return rows.length === 1 ? rows[0]!.id : null;
}

/**
 * Links the bot token's team (and its organization) to the local workspace when neither is linked yet.
 * Returns the team, or null when there is no token or Slack did not answer. Safe to call again: a linked team
 * is left alone, and the insert does nothing when another process linked it a moment earlier.
 */
export async function linkBotTokenTeam(deps: D): Promise<BotTokenTeam | null> {
  const team = await botTokenTeam(deps);
  if (!team) return null;
  const links: { kind: WorkspaceLinkKind; externalId: string }[] = [];
  if (!(await findWorkspaceByLink(deps, "slack_team", team.teamId))) {
    links.push({ kind: "slack_team", externalId: team.teamId });
  }
  if (team.enterpriseId && !(await findWorkspaceByLink(deps, "slack_enterprise", team.enterpriseId))) {
    links.push({ kind: "slack_enterprise", externalId: team.enterpriseId });
  }
  // The organization alone is not linked: a team already linked elsewhere says where this token belongs.
  if (links.length === 0 || links[0]!.kind !== "slack_team") return team;
  const workspaceId = await localWorkspaceId(deps);
  if (!workspaceId) {
    deps.logger.warn(
      { team: team.teamId },
      "Slack team of SLACK_BOT_TOKEN not linked: several workspaces and no local one; link it in the console",
    );
    return team;
  }
  const { db } = deps.database;
  const now = deps.clock.now();
  const before = await db
    .select({ kind: workspaceLinks.kind, externalId: workspaceLinks.externalId })
    .from(workspaceLinks)
    .where(eq(workspaceLinks.workspaceId, workspaceId));
  await commitChange(deps, {
    workspaceId,
    actor: AUTH_TEST_ACTOR,
    action: "workspace.link",
    target: `slack_team:${team.teamId}`,
    before,
    after: [...before, ...links],
    writes: links.map((link) =>
      db
        .insert(workspaceLinks)
        .values({ workspaceId, ...link, createdAt: now })
        .onConflictDoNothing(),
    ),
  });
  deps.logger.info(
    { workspaceId, team: team.teamId },
    "Slack team of SLACK_BOT_TOKEN linked to the workspace",
  );
  return team;
}

/**
 * The workspace of an event's Slack team; for a team no workspace knows yet, a single-team hub first links
 * its token's team (which is the event's team unless the event comes from elsewhere).
 */
export async function workspaceForSlackEvent(
  deps: D,
  target: { teamId: string; enterpriseId: string | null },
): Promise<{ id: string; name: string } | null> {
  const found = await workspaceForSlack(deps, target);
  if (found || !deps.config.slack.botToken) return found;
  const team = await linkBotTokenTeam(deps);
  if (!team || (team.teamId !== target.teamId && team.enterpriseId !== target.enterpriseId)) return null;
  return workspaceForSlack(deps, target);
}
