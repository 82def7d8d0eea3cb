import { and, desc, eq, max } from "drizzle-orm";
import type { WorkspaceToggles } from "../../access/types";
import { environmentCollaborators, environments, identities } from "../../db/schema/access";
import { githubAppCredentials } from "../../db/schema/github";
import { inbox } from "../../db/schema/inbox";
import { linearInstallations } from "../../db/schema/linear";
import { workspaceLinks } from "../../db/schema/workspaces";
import type { Deps } from "../../deps";
import { storedPayload } from "../../inbox/payload-codec";
import { linkBotTokenTeam } from "../../surfaces/slack/bot-token-team";
import { listInstallations } from "../../workspace/github-installations";
import { requireWorkspaceRow, togglesOf } from "../../workspace/workspaces";
import type { PlatformName, SetupFacts } from "./overview-checklist";

// Every database read the overview needs, in one place: the checklist's facts, and the platform tenants the
// hub has seen that belong to no workspace yet (what the one-click links offer).

/** The switches a fresh live workspace starts with off, by the names the product documents use. */
const CHECKED_TOGGLES: { key: keyof WorkspaceToggles; name: string }[] = [
  { key: "codexCloud", name: "Allow members to use Codex cloud" },
  { key: "githubConnector", name: "GitHub connector" },
  { key: "codeReview", name: "Code review" },
];

/** Linear deliveries read to find organizations no workspace knows; older ones are not worth decoding. */
const RECENT_LINEAR_DELIVERIES = 50;

export interface UnlinkedTenants {
  githubInstallations: { id: number; account: string }[];
  linearOrganizations: { id: string; name: string | null }[];
}

/** The variables (or stored App) that configure each platform, as an admin would set them. */
function configuredBy(
  deps: Pick<Deps, "config">,
  storedAppId: string | null,
): Record<PlatformName, string[]> {
  const { slack, github, linear } = deps.config;
  return {
    slack: [
      ...(slack.botToken ? ["SLACK_BOT_TOKEN"] : []),
      ...(slack.clientId ? ["SLACK_CLIENT_ID/SECRET"] : []),
    ],
    github: github.appId
      ? [
          storedAppId === github.appId
            ? `GitHub App ${github.appId} (created at /setup/github)`
            : "GITHUB_APP_ID",
        ]
      : [],
    linear: [
      ...(linear.apiKey ? ["LINEAR_API_KEY"] : []),
      ...(linear.clientId ? ["LINEAR_CLIENT_ID/SECRET"] : []),
    ],
  };
}

const executorReady = (executor: Deps["config"]["executor"]): boolean =>
  executor.kind === "codex" || Boolean(executor.kind === "command" ? executor.command : executor.url);

/**
 * The checklist's facts for a workspace. A single-team Slack hub whose team is not linked yet asks Slack
 * (`auth.test`) first, so the overview shows the team linked rather than a step that would fix itself.
 */
export async function loadSetupFacts(deps: Deps, workspaceId: string): Promise<SetupFacts> {
  const { db } = deps.database;
  const linksOf = async () =>
    db
      .select({ kind: workspaceLinks.kind, externalId: workspaceLinks.externalId })
      .from(workspaceLinks)
      .where(eq(workspaceLinks.workspaceId, workspaceId));
  let links = await linksOf();
  if (deps.config.slack.botToken && !links.some((l) => l.kind === "slack_team")) {
    const team = await linkBotTokenTeam(deps).catch(() => null);
    if (team) links = await linksOf();
  }
  const [row, lastEvents, envRows, stored] = await Promise.all([
    requireWorkspaceRow(deps, workspaceId),
    db
      .select({ platform: inbox.platform, at: max(inbox.receivedAt) })
      .from(inbox)
      .groupBy(inbox.platform),
    db.select({ id: environments.id }).from(environments).where(eq(environments.workspaceId, workspaceId)),
    db.select({ appId: githubAppCredentials.appId }).from(githubAppCredentials).limit(1),
  ]);
  const storedAppId = stored[0]?.appId ?? null;
  const toggles = togglesOf(row);
  const by = configuredBy(deps, storedAppId);
  const lastAt = (platform: PlatformName) => lastEvents.find((e) => e.platform === platform)?.at ?? null;
  const linked = (...kinds: string[]) => links.filter((l) => kinds.includes(l.kind)).map((l) => l.externalId);
  return {
    sandbox: deps.config.sandbox,
    platforms: {
      slack: {
        configuredBy: by.slack,
        linked: linked("slack_team", "slack_enterprise"),
        lastEventAt: lastAt("slack"),
      },
      github: {
        configuredBy: by.github,
        linked: linked("github_installation"),
        lastEventAt: lastAt("github"),
      },
      linear: { configuredBy: by.linear, linked: linked("linear_org"), lastEventAt: lastAt("linear") },
    },
    // Created at /setup/github but not in use: the hub reads stored credentials at start only.
    githubAppAwaitingRestart: storedAppId && !deps.config.github.appId ? storedAppId : null,
    slackOAuth: Boolean(deps.config.slack.clientId),
    linearOAuth: Boolean(deps.config.linear.clientId),
    togglesOff: CHECKED_TOGGLES.filter((t) => !toggles[t.key]).map((t) => ({ key: t.key, name: t.name })),
    environments: envRows.length,
    executor: { kind: deps.config.executor.kind, ready: executorReady(deps.config.executor) },
  };
}

/** Organization ids named by recent Linear deliveries (the envelope's `organizationId`). */
async function recentLinearOrganizations(deps: Pick<Deps, "database">): Promise<string[]> {
  const rows = await deps.database.db
    .select({ payload: inbox.payload, payloadEncoding: inbox.payloadEncoding })
    .from(inbox)
    .where(eq(inbox.platform, "linear"))
    .orderBy(desc(inbox.receivedAt))
    .limit(RECENT_LINEAR_DELIVERIES);
  const ids = new Set<string>();
  for (const row of rows) {
    try {
      const body = JSON.parse(storedPayload(row) ?? "null") as { organizationId?: unknown } | null;
      if (typeof body?.organizationId === "string" && body.organizationId) ids.add(body.organizationId);
    } catch {
      // A body that does not parse names no organization; the processor reports it on its own.
    }
  }
  return [...ids];
}

/** Installations and organizations the hub has seen that no workspace has claimed. */
export async function loadUnlinkedTenants(deps: Deps): Promise<UnlinkedTenants> {
  const { db } = deps.database;
  const [installations, linearLinks, installedOrgs, seenOrgs] = await Promise.all([
    listInstallations(deps),
    db
      .select({ id: workspaceLinks.externalId })
      .from(workspaceLinks)
      .where(eq(workspaceLinks.kind, "linear_org")),
    db
      .select({ id: linearInstallations.organizationId, name: linearInstallations.organizationName })
      .from(linearInstallations),
    recentLinearOrganizations(deps),
  ]);
  const linkedOrgs = new Set(linearLinks.map((l) => l.id));
  const orgs = new Map<string, string | null>();
  for (const o of installedOrgs) orgs.set(o.id, o.name);
  for (const id of seenOrgs) if (!orgs.has(id)) orgs.set(id, null);
  return {
    githubInstallations: installations
      .filter((i) => i.workspaceId === null && i.status === "active")
      .map((i) => ({ id: i.id, account: i.accountLogin })),
    linearOrganizations: [...orgs].filter(([id]) => !linkedOrgs.has(id)).map(([id, name]) => ({ id, name })),
  };
}

/** Whether the workspace has a link of this kind to this tenant (for tests and confirmations). */
export async function hasLink(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  kind: "github_installation" | "linear_org",
  externalId: string,
): Promise<boolean> {
  const rows = await deps.database.db
    .select({ id: workspaceLinks.externalId })
    .from(workspaceLinks)
    .where(
      and(
        eq(workspaceLinks.workspaceId, workspaceId),
        eq(workspaceLinks.kind, kind),
        eq(workspaceLinks.externalId, externalId),
      ),
    );
  return rows.length > 0;
}

export interface MemberFacts {
  identities: { platform: string; display: string }[];
  /** Environments the member may pick: visible to the whole workspace, or private and theirs to use. */
  environments: { name: string; repository: string }[];
}

/** What a member's short overview shows: their linked accounts and the environments they can use. */
export async function loadMemberFacts(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  memberId: string,
): Promise<MemberFacts> {
  const { db } = deps.database;
  const [ids, envs, shared] = await Promise.all([
    db
      .select({ platform: identities.platform, display: identities.display })
      .from(identities)
      .where(and(eq(identities.workspaceId, workspaceId), eq(identities.memberId, memberId))),
    db
      .select({
        id: environments.id,
        name: environments.name,
        repository: environments.repository,
        visibility: environments.visibility,
        creatorId: environments.creatorId,
      })
      .from(environments)
      .where(eq(environments.workspaceId, workspaceId))
      .orderBy(environments.name),
    db
      .select({ id: environmentCollaborators.environmentId })
      .from(environmentCollaborators)
      .where(
        and(
          eq(environmentCollaborators.workspaceId, workspaceId),
          eq(environmentCollaborators.memberId, memberId),
        ),
      ),
  ]);
  const collaborating = new Set(shared.map((s) => s.id));
  return {
    identities: ids,
    environments: envs
      .filter((e) => e.visibility === "workspace" || e.creatorId === memberId || collaborating.has(e.id))
      .map((e) => ({ name: e.name, repository: e.repository })),
  };
}
