import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OutboundError } from "../../src/clients/types";
import { resealLegacyValues } from "../../src/db/reseal-legacy";
import { githubAppCredentials } from "../../src/db/schema/github";
import { linearInstallations } from "../../src/db/schema/linear";
import { slackInstallations } from "../../src/db/schema/slack";
import type { SealedColumn } from "../../src/db/sealed-columns";
import { createSecretBox, SealedValueError } from "../../src/lib/secret-box";
import { loadAppCredentials } from "../../src/surfaces/github/app-credentials";
import { linearTokenProvider } from "../../src/surfaces/linear/installations";
import {
  installationToken,
  saveInstallation,
  slackTokenProvider,
} from "../../src/surfaces/slack/installations";
import { LOCAL_WORKSPACE_ID } from "../../src/workspace/workspaces";
import { sealV1 } from "../helpers/sealed-v1";
import { createWorld, type World } from "../helpers/world";
import { testSecrets } from "../helpers/world-config";

// Sealed secrets are bound to their table, column and row: one copied elsewhere in the database does not
// open there (and fails only the calls that need it), and values an older version sealed unbound (`v1.`) are
// bound in place at start.

const key = testSecrets.encryptionKey;
let hub: World;
beforeEach(async () => {
  hub = createWorld();
  await hub.ready;
});
afterEach(() => hub.close());

const slackRow = (installKey: string, botToken: string) => ({
  id: `sli_${installKey}`,
  workspaceId: LOCAL_WORKSPACE_ID,
  installKey,
  teamId: installKey.slice("team:".length),
  botToken,
  createdAt: 1,
  updatedAt: 1,
});
const linearRow = (organizationId: string, accessToken: string, refreshToken: string | null = null) => ({
  organizationId,
  workspaceId: LOCAL_WORKSPACE_ID,
  actor: "app" as const,
  accessToken,
  refreshToken,
  createdAt: 1,
  updatedAt: 1,
});

describe("a sealed value copied to another place", () => {
  it("does not open there; the calls for the row it was copied from still work", async () => {
    const install = { teamName: null, enterpriseId: null, isEnterpriseInstall: false, appId: null } as const;
    const rest = { botUserId: null, scopes: "", installedBy: null };
    await saveInstallation(
      hub.deps,
      LOCAL_WORKSPACE_ID,
      { ...install, ...rest, teamId: "T1", botToken: "xoxb-one" },
      "t",
    );
    await saveInstallation(
      hub.deps,
      LOCAL_WORKSPACE_ID,
      { ...install, ...rest, teamId: "T2", botToken: "xoxb-two" },
      "t",
    );
    const { db } = hub.database;
    const [one] = await db
      .select()
      .from(slackInstallations)
      .where(eq(slackInstallations.installKey, "team:T1"));
    await db
      .update(slackInstallations)
      .set({ botToken: one!.botToken })
      .where(eq(slackInstallations.installKey, "team:T2"));

    await expect(installationToken(hub.deps, { teamId: "T2" })).rejects.toBeInstanceOf(SealedValueError);
    // For the outbox: a call that fails for good, saying why, rather than an error retried again and again.
    const refused = await slackTokenProvider(hub.deps)({ teamId: "T2" }).catch((error) => error);
    expect(refused).toBeInstanceOf(OutboundError);
    expect(refused).toMatchObject({ retryable: false });
    expect(refused.message).toMatch(/slack_installations:bot_token:team:T2 does not open/);
    expect(await slackTokenProvider(hub.deps)({ teamId: "T1" })).toBe("xoxb-one");
  });

  it("fails across columns and rows for Linear and the GitHub App too", async () => {
    const box = createSecretBox(key);
    const access = await box.seal("lin-a", { column: linearInstallations.accessToken, row: "org-a" });
    const { db } = hub.database;
    await db.insert(linearInstallations).values([linearRow("org-a", access), linearRow("org-b", access)]);
    const tokenFor = linearTokenProvider(hub.deps);
    expect(await tokenFor("org-a")).toBe("lin-a");
    await expect(tokenFor("org-b")).rejects.toMatchObject({
      name: "OutboundError",
      retryable: false,
      message: expect.stringMatching(/linear_installations:access_token:org-b does not open/),
    });

    const at = (column: SealedColumn) => ({ column, row: "default" });
    await db.insert(githubAppCredentials).values({
      id: "default",
      appId: "42",
      slug: "codex",
      htmlUrl: "https://github.test/apps/codex",
      // The private key and the webhook secret swapped: each was sealed for the other's column.
      privateKey: await box.seal("webhook-secret", at(githubAppCredentials.webhookSecret)),
      webhookSecret: await box.seal("-----BEGIN PRIVATE KEY-----", at(githubAppCredentials.privateKey)),
      createdBy: "t",
      createdAt: 1,
    });
    await expect(loadAppCredentials(hub.database, key)).rejects.toThrow(
      /github_app_credentials:private_key:default does not open/,
    );
  });
});

describe("values sealed unbound by an older version", () => {
  it("are re-sealed bound to their place at start, once, and keep working", async () => {
    const { db } = hub.database;
    const otherKey = Buffer.alloc(32, 5).toString("base64");
    await db.insert(githubAppCredentials).values({
      id: "default",
      appId: "42",
      slug: "codex",
      htmlUrl: "https://github.test/apps/codex",
      clientId: "Iv1.x",
      clientSecret: await sealV1(key, "client-secret"),
      privateKey: await sealV1(key, "-----BEGIN PRIVATE KEY-----"),
      webhookSecret: await sealV1(key, "webhook-secret"),
      createdBy: "t",
      createdAt: 1,
    });
    const unopenable = await sealV1(otherKey, "xoxb-lost");
    await db
      .insert(slackInstallations)
      .values([slackRow("team:T1", await sealV1(key, "xoxb-one")), slackRow("team:T9", unopenable)]);
    await db
      .insert(linearInstallations)
      .values(linearRow("org-a", await sealV1(key, "lin-a"), await sealV1(key, "lin-r")));

    expect(await resealLegacyValues(hub.database, key)).toEqual({
      resealed: 6,
      failed: ["slack_installations:bot_token:team:T9"],
    });
    const [app] = await db.select().from(githubAppCredentials);
    const [linear] = await db.select().from(linearInstallations);
    for (const value of [
      app!.clientSecret,
      app!.privateKey,
      app!.webhookSecret,
      linear!.accessToken,
      linear!.refreshToken,
    ]) {
      expect(value).toMatch(/^v2\./);
    }
    expect(await loadAppCredentials(hub.database, key)).toMatchObject({
      privateKey: "-----BEGIN PRIVATE KEY-----",
      webhookSecret: "webhook-secret",
      clientSecret: "client-secret",
    });
    expect(await installationToken(hub.deps, { teamId: "T1" })).toBe("xoxb-one");
    expect(await linearTokenProvider(hub.deps)("org-a")).toBe("lin-a");

    // A second start finds nothing left to do; the value it cannot open stays as it was, and says so when used.
    expect(await resealLegacyValues(hub.database, key)).toEqual({
      resealed: 0,
      failed: ["slack_installations:bot_token:team:T9"],
    });
    const [t9] = await db
      .select()
      .from(slackInstallations)
      .where(eq(slackInstallations.installKey, "team:T9"));
    expect(t9!.botToken).toBe(unopenable);
    await expect(installationToken(hub.deps, { teamId: "T9" })).rejects.toThrow(/unbound v1 form/);
  });
});
