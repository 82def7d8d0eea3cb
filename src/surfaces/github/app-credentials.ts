import { eq } from "drizzle-orm";
import type { Config } from "../../config";
import { githubAppCredentials } from "../../db/schema/github";
import type { SealedColumn } from "../../db/sealed-columns";
import type { Database } from "../../db/types";
import type { Deps } from "../../deps";
import { auditQuery } from "../../governance/audit";
import { createSecretBox, type SealedAt } from "../../lib/secret-box";

// The GitHub App made through the manifest flow: GitHub hands its id, private key and webhook secret over
// once (POST /app-manifests/{code}/conversions), the hub keeps them sealed with HUB_ENCRYPTION_KEY and uses
// them from its next start, unless GITHUB_APP_ID in the environment names another App.

/** The part of GitHub's conversion answer the hub keeps. */
export interface ManifestConversion {
  id: number;
  slug: string;
  html_url: string;
  owner?: { login?: string } | null;
  client_id?: string | null;
  client_secret?: string | null;
  pem: string;
  webhook_secret: string;
}

export interface StoredGitHubApp {
  appId: string;
  slug: string;
  htmlUrl: string;
  privateKey: string;
  webhookSecret: string;
  clientId?: string;
  clientSecret?: string;
}

const ROW_ID = "default";
const c = githubAppCredentials;
/** Each secret is sealed bound to its column of the one row. */
const at = (column: SealedColumn): SealedAt => ({ column, row: ROW_ID });

export async function saveAppCredentials(
  deps: Pick<Deps, "database" | "clock" | "config">,
  app: ManifestConversion,
  actor: string,
): Promise<void> {
  const box = createSecretBox(deps.config.encryptionKey);
  const now = deps.clock.now();
  const row = {
    id: ROW_ID,
    appId: String(app.id),
    slug: app.slug,
    htmlUrl: app.html_url,
    ownerLogin: app.owner?.login ?? null,
    clientId: app.client_id ?? null,
    clientSecret: app.client_secret ? await box.seal(app.client_secret, at(c.clientSecret)) : null,
    privateKey: await box.seal(app.pem, at(c.privateKey)),
    webhookSecret: await box.seal(app.webhook_secret, at(c.webhookSecret)),
    createdBy: actor,
    createdAt: now,
  };
  const { id: _id, ...update } = row;
  await deps.database.batch([
    deps.database.db.insert(githubAppCredentials).values(row).onConflictDoUpdate({
      target: githubAppCredentials.id,
      set: update,
    }),
    // Never the secrets: who made which App, and when.
    ...auditQuery(deps, {
      workspaceId: null,
      actor,
      action: "github.app.create",
      target: String(app.id),
      after: { appId: app.id, slug: app.slug, owner: app.owner?.login ?? null },
    }).queries,
  ]);
}

export async function loadAppCredentials(
  database: Database,
  encryptionKey: string,
): Promise<StoredGitHubApp | null> {
  const [row] = await database.db
    .select()
    .from(githubAppCredentials)
    .where(eq(githubAppCredentials.id, ROW_ID))
    .limit(1);
  if (!row) return null;
  const box = createSecretBox(encryptionKey);
  return {
    appId: row.appId,
    slug: row.slug,
    htmlUrl: row.htmlUrl,
    privateKey: await box.open(row.privateKey, at(c.privateKey)),
    webhookSecret: await box.open(row.webhookSecret, at(c.webhookSecret)),
    ...(row.clientId ? { clientId: row.clientId } : {}),
    ...(row.clientSecret ? { clientSecret: await box.open(row.clientSecret, at(c.clientSecret)) } : {}),
  };
}

/** The config with the stored App in place, when the environment configures none. */
export function withStoredGitHubApp(config: Config, app: StoredGitHubApp | null): Config {
  if (!app || config.github.appId) return config;
  return {
    ...config,
    sandbox: false,
    github: {
      ...config.github,
      appId: app.appId,
      privateKey: app.privateKey,
      webhookSecrets: [app.webhookSecret, ...config.github.webhookSecrets],
      clientId: config.github.clientId ?? app.clientId,
      clientSecret: config.github.clientSecret ?? app.clientSecret,
    },
  };
}
