import { githubAppCredentials } from "./schema/github";
import { linearInstallations } from "./schema/linear";
import { slackInstallations } from "./schema/slack";

/**
 * Every column that holds a sealed secret (lib/secret-box.ts), with the column naming its row. A sealed value is
 * bound to its table, column and row; sealing into a column missing here does not compile, so this list is
 * also complete for re-sealing values of an older format (db/reseal-legacy.ts).
 *
 * The row is named by a key that stays with the row across upserts: a Slack reinstall keeps its `install_key`
 * but not the fresh `id` the insert proposed.
 */
export const sealedColumns = [
  { column: githubAppCredentials.clientSecret, row: githubAppCredentials.id },
  { column: githubAppCredentials.privateKey, row: githubAppCredentials.id },
  { column: githubAppCredentials.webhookSecret, row: githubAppCredentials.id },
  { column: slackInstallations.botToken, row: slackInstallations.installKey },
  { column: linearInstallations.accessToken, row: linearInstallations.organizationId },
  { column: linearInstallations.refreshToken, row: linearInstallations.organizationId },
] as const;

export type SealedColumn = (typeof sealedColumns)[number]["column"];
