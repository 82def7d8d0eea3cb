import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type GeneratedSecrets, generatedSecretNames } from "../config";
import { randomSecret } from "../lib/crypto";

export interface DevSecretsFile {
  path: string;
  secrets: GeneratedSecrets;
  /** True when this start created the file: the secrets are printed once, now. */
  created: boolean;
}

/**
 * Secrets the operator did not set are generated once and kept beside the database (mode 0600), so a
 * restart keeps the same webhook secrets and admin token and nothing needs configuring to try the hub.
 */
export function loadOrCreateDevSecrets(dbPath: string): DevSecretsFile {
  const dir = dbPath === ":memory:" ? resolve("data") : dirname(resolve(dbPath));
  const path = join(dir, "dev-secrets.json");
  const existing: Partial<GeneratedSecrets> = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {};
  const secrets = { ...existing } as GeneratedSecrets;
  let changed = false;
  for (const name of generatedSecretNames) {
    if (!secrets[name]) {
      secrets[name] =
        name === "HUB_ADMIN_TOKEN" ? `hub_${randomSecret(24).replace(/[+/=]/g, "")}` : randomSecret(32);
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return { path, secrets, created: changed };
}
