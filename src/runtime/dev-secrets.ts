import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { z } from "zod";
import { ConfigError, envSchema, type GeneratedSecrets, generatedSecretNames } from "../config";
import { randomSecret } from "../lib/crypto";

export interface DevSecretsFile {
  path: string;
  secrets: GeneratedSecrets;
  /** True when this start created the file (or added entries to it). */
  created: boolean;
}

/**
 * Secrets the operator did not set are generated once and kept beside the database (mode 0600, in a
 * directory the hub creates 0700), so a restart keeps the same webhook secrets and admin token and nothing
 * needs configuring to try the hub. What the file already holds must pass the environment's own rules.
 */
export function loadOrCreateDevSecrets(dbPath: string): DevSecretsFile {
  const dir = dbPath === ":memory:" ? resolve("data") : dirname(resolve(dbPath));
  const path = join(dir, "dev-secrets.json");
  const secrets = (
    existsSync(path) ? parseKeptSecrets(readFileSync(path, "utf8"), path) : {}
  ) as GeneratedSecrets;
  let changed = false;
  for (const name of generatedSecretNames) {
    if (!secrets[name]) {
      secrets[name] =
        name === "HUB_ADMIN_TOKEN" ? `hub_${randomSecret(24).replace(/[+/=]/g, "")}` : randomSecret(32);
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return { path, secrets, created: changed };
}

/**
 * The kept secrets, each through the validator of the environment variable it stands in for (an 8-byte
 * encryption key here is as wrong as in the environment). Problems are a ConfigError naming the file, so the
 * start stops with the same one message an invalid environment gets. Absent entries are left to be generated.
 */
export function parseKeptSecrets(text: string, file: string): Partial<GeneratedSecrets> {
  const fail = (message: string) => new ConfigError([{ variable: basename(file), message }], file);
  let kept: unknown;
  try {
    kept = JSON.parse(text);
  } catch (error) {
    throw fail(`is not valid JSON (${(error as Error).message})`);
  }
  if (typeof kept !== "object" || kept === null || Array.isArray(kept)) {
    throw fail("must be a JSON object of variable names to values");
  }
  const secrets: Partial<GeneratedSecrets> = {};
  const problems: { variable: string; message: string }[] = [];
  for (const variable of generatedSecretNames) {
    const value = (kept as Record<string, unknown>)[variable];
    if (value === undefined) continue;
    const parsed = (envSchema.shape[variable] as z.ZodType<string | undefined>).safeParse(value);
    if (!parsed.success)
      problems.push({ variable, message: parsed.error.issues[0]?.message ?? "is invalid" });
    else if (parsed.data) secrets[variable] = parsed.data;
  }
  if (problems.length > 0) throw new ConfigError(problems, file);
  return secrets;
}

/**
 * What the first start says about the secrets it generated. stdout usually ends in a log collector, so the
 * values are shown only to a person at a terminal, and only in sandbox mode (where they guard nothing real);
 * otherwise the notice says where they are kept.
 */
export function generatedSecretsNotice(input: {
  path: string;
  names: readonly (keyof GeneratedSecrets)[];
  secrets: GeneratedSecrets;
  sandbox: boolean;
  interactive: boolean;
}): string {
  const { path, names, secrets } = input;
  if (input.sandbox && input.interactive) {
    const shown = names.map((name) => `  ${name}=${secrets[name]}`).join("\n");
    return `Generated secrets for the variables you did not set (kept in ${path}):\n${shown}\n`;
  }
  return (
    `Generated secrets for the variables you did not set (${names.join(", ")}) are kept in ${path} ` +
    `(readable by this user only): \`cat ${path}\`; \`npm run demo\` reads them from there.\n`
  );
}
