import { environments, identities } from "../db/schema/access";
import { workspaceLinks } from "../db/schema/workspaces";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";

// What the offline demo (`npm run demo`) needs: the sample events it replays come from Slack team T0SANDBOX
// (user U0ADMIN), GitHub installation 1 (sender Codertocat, repository Codertocat/Hello-World) and Linear
// organization org-sandbox (user lin-user-admin); all of them are the workspace owner.

export const SANDBOX = {
  slackTeam: "T0SANDBOX",
  slackUser: "U0ADMIN",
  githubInstallation: "1",
  githubLogin: "Codertocat",
  linearOrg: "org-sandbox",
  linearUser: "lin-user-admin",
  repository: "Codertocat/Hello-World",
  environmentId: "env_sandbox_hello_world",
} as const;

export function sandboxSeedQueries(
  deps: Pick<Deps, "database" | "clock">,
  workspaceId: string,
  ownerId: string,
): BatchQuery[] {
  const { db } = deps.database;
  const now = deps.clock.now();
  const link = (kind: "slack_team" | "github_installation" | "linear_org", externalId: string) => ({
    workspaceId,
    kind,
    externalId,
    createdAt: now,
  });
  const identity = (platform: "slack" | "github" | "linear", display: string) => ({
    workspaceId,
    memberId: ownerId,
    platform,
    externalId: platform === "github" ? display.toLowerCase() : display,
    display,
    source: "seed" as const,
    createdAt: now,
  });
  return [
    db
      .insert(workspaceLinks)
      .values([
        link("slack_team", SANDBOX.slackTeam),
        link("github_installation", SANDBOX.githubInstallation),
        link("linear_org", SANDBOX.linearOrg),
      ])
      .onConflictDoNothing(),
    db
      .insert(identities)
      .values([
        identity("slack", SANDBOX.slackUser),
        identity("github", SANDBOX.githubLogin),
        identity("linear", SANDBOX.linearUser),
      ])
      .onConflictDoNothing(),
    db
      .insert(environments)
      .values({
        id: SANDBOX.environmentId,
        workspaceId,
        name: "hello-world",
        description: "The sample repository the demo events refer to.",
        repository: SANDBOX.repository,
        visibility: "workspace",
        creatorId: ownerId,
        internet: { mode: "off" },
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing(),
  ];
}
