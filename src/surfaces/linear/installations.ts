import { eq } from "drizzle-orm";
import { OutboundError } from "../../clients/types";
import type { Config } from "../../config";
import { linearInstallations } from "../../db/schema/linear";
import { workspaceLinks } from "../../db/schema/workspaces";
import type { Database } from "../../db/types";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { Clock } from "../../lib/clock";
import {
  bindingOf,
  createSecretBox,
  type SealedAt,
  SealedValueError,
  type SecretBox,
} from "../../lib/secret-box";
import { commitChange } from "../../workspace/change";
import { findWorkspaceByLink } from "../../workspace/workspaces";

// Installing Codex in a Linear organization as an app actor (OAuth `actor=app`,
// https://linear.app/developers/oauth-actor-authorization): the token is sealed at rest and the organization
// is linked to the workspace, and every later call for that organization uses the token
// (clients/linear/client.ts).

/** Being assignable and mentionable is what makes Linear open agent sessions for Codex. */
export const LINEAR_SCOPES = ["read", "write", "app:assignable", "app:mentionable"] as const;

/** Linear's OAuth endpoints, next to the API the hub is pointed at (a local fake in tests). */
export function linearOAuthUrls(apiUrl: string): { authorize: string; token: string } {
  const api = new URL(apiUrl);
  const web = api.hostname === "api.linear.app" ? "https://linear.app" : api.origin;
  return { authorize: `${web}/oauth/authorize`, token: `${api.origin}/oauth/token` };
}

export interface TokenGrant {
  access_token: string;
  refresh_token?: string;
  /** Seconds. */
  expires_in?: number;
  scope?: string | string[];
}

/** POSTs a grant to Linear's token endpoint (code exchange or refresh); null when Linear refuses it. */
export async function requestToken(
  config: Pick<Config, "linear">,
  fields: Record<string, string>,
): Promise<TokenGrant | null> {
  const { clientId, clientSecret, apiUrl } = config.linear;
  if (!clientId || !clientSecret) return null;
  const response = await fetch(linearOAuthUrls(apiUrl).token, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ ...fields, client_id: clientId, client_secret: clientSecret }),
  });
  const body = (await response.json().catch(() => null)) as Partial<TokenGrant> | null;
  if (!response.ok || typeof body?.access_token !== "string") return null;
  return body as TokenGrant;
}

/** Refreshed this long before Linear says the token expires. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The OAuth token of each installed organization, for the Linear client (`tokenFor`): opened from its sealed
 * form, refreshed with the refresh token when it is about to expire. Null: no app installation (the client
 * then falls back to LINEAR_API_KEY).
 */
export function linearTokenProvider(deps: { database: Database; config: Config; clock: Clock }) {
  let box: SecretBox | undefined;
  // Keyed by where the value is stored as well as by the value: a value copied to another row must not be
  // served from the cache without the check that it opens there.
  const opened = new Map<string, string>();
  const open = async (sealed: string, at: SealedAt) => {
    box ??= createSecretBox(deps.config.encryptionKey);
    const cacheKey = `${bindingOf(at)}\u0000${sealed}`;
    let plain = opened.get(cacheKey);
    if (plain === undefined) {
      plain = await box.open(sealed, at);
      if (opened.size > 1000) opened.clear();
      opened.set(cacheKey, plain);
    }
    return plain;
  };
  const tokenFor = async (organizationId: string): Promise<string | null> => {
    const [row] = await deps.database.db
      .select()
      .from(linearInstallations)
      .where(eq(linearInstallations.organizationId, organizationId))
      .limit(1);
    if (!row?.accessToken) return null;
    const now = deps.clock.now();
    if (row.refreshToken && row.tokenExpiresAt !== null && row.tokenExpiresAt - REFRESH_MARGIN_MS <= now) {
      const grant = await requestToken(deps.config, {
        grant_type: "refresh_token",
        refresh_token: await open(row.refreshToken, refreshTokenAt(organizationId)),
      });
      if (grant) {
        box ??= createSecretBox(deps.config.encryptionKey);
        await deps.database.db
          .update(linearInstallations)
          .set({
            accessToken: await box.seal(grant.access_token, accessTokenAt(organizationId)),
            refreshToken: grant.refresh_token
              ? await box.seal(grant.refresh_token, refreshTokenAt(organizationId))
              : row.refreshToken,
            tokenExpiresAt: grant.expires_in ? now + grant.expires_in * 1000 : null,
            updatedAt: now,
          })
          .where(eq(linearInstallations.organizationId, organizationId));
        return grant.access_token;
      }
    }
    return open(row.accessToken, accessTokenAt(organizationId));
  };
  return (organizationId: string): Promise<string | null> =>
    tokenFor(organizationId).catch((error) => {
      // A token that does not open here will not open on a retry either: the call fails with the reason.
      if (error instanceof SealedValueError) throw new OutboundError(`linear: ${error.message}`, false);
      throw error;
    });
}

/** Tokens are sealed bound to their organization's row. */
const accessTokenAt = (row: string): SealedAt => ({ column: linearInstallations.accessToken, row });
const refreshTokenAt = (row: string): SealedAt => ({ column: linearInstallations.refreshToken, row });

export interface NewInstallation {
  workspaceId: string;
  organizationId: string;
  organizationName: string | null;
  appUserId: string;
  grant: TokenGrant;
  /** Who installed it, as the audit log names them (`member:<id>`, or `api_key:<id>` for a key session). */
  actor: string;
}

/**
 * Stores an app installation (tokens sealed) and links the organization to the workspace, with its audit
 * record, in one batch. Installing again (a new token, more scopes) replaces the token. An organization linked
 * to another workspace is a conflict: the hub never moves an organization between workspaces silently.
 */
export async function saveInstallation(
  deps: Pick<Deps, "database" | "clock" | "config">,
  input: NewInstallation,
) {
  const owner = await findWorkspaceByLink(deps, "linear_org", input.organizationId);
  if (owner && owner.id !== input.workspaceId) {
    throw new AppError(
      "conflict",
      `Linear organization ${input.organizationName ?? input.organizationId} is already linked to workspace ${owner.name}.`,
    );
  }
  const box = createSecretBox(deps.config.encryptionKey);
  const now = deps.clock.now();
  const scope = input.grant.scope;
  const values = {
    workspaceId: input.workspaceId,
    organizationName: input.organizationName,
    actor: "app" as const,
    appUserId: input.appUserId,
    accessToken: await box.seal(input.grant.access_token, accessTokenAt(input.organizationId)),
    refreshToken: input.grant.refresh_token
      ? await box.seal(input.grant.refresh_token, refreshTokenAt(input.organizationId))
      : null,
    tokenExpiresAt: input.grant.expires_in ? now + input.grant.expires_in * 1000 : null,
    scopes: Array.isArray(scope) ? scope.join(",") : (scope ?? LINEAR_SCOPES.join(",")),
    installedBy: input.actor.startsWith("member:") ? input.actor.slice("member:".length) : null,
    updatedAt: now,
  };
  const { db } = deps.database;
  await commitChange(deps, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "linear.install",
    target: `linear_org:${input.organizationId}`,
    after: { organization: input.organizationName ?? input.organizationId, scopes: values.scopes },
    writes: [
      db
        .insert(linearInstallations)
        .values({ organizationId: input.organizationId, createdAt: now, ...values })
        .onConflictDoUpdate({ target: linearInstallations.organizationId, set: values }),
      db
        .insert(workspaceLinks)
        .values({
          workspaceId: input.workspaceId,
          kind: "linear_org",
          externalId: input.organizationId,
          createdAt: now,
        })
        .onConflictDoNothing(),
    ],
    conflict: `Linear organization ${input.organizationId} is already linked to another workspace.`,
  });
}
