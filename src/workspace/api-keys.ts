import { and, desc, eq, isNull } from "drizzle-orm";
import { type ApiKeyRow, apiKeys, apiScopes } from "../db/schema/api-keys";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { sha256Hex } from "../lib/crypto";
import { newId } from "../lib/ids";
import type { ApiScope } from "./api-key-scopes";
import { assertScopesUsable } from "./api-key-scopes";
import { commitChange } from "./change";
import type { ApiPrincipal, KeyPrincipal } from "./principals";

export { apiScopes };

/** What the API shows of a key: never the key or its digest. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdBy: string;
  createdAt: number;
  revokedAt: number | null;
}

const toView = ({ hash: _hash, ...row }: ApiKeyRow): ApiKeyView => row;

/** 32 random bytes, base64url, behind a recognisable prefix so a leaked key is easy to spot in a scan. */
function generateKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const b64 = btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
  return `chub_${b64}`;
}

export async function createApiKey(
  deps: Deps,
  input: { name: string; scopes: ApiScope[] },
  actor: string,
): Promise<ApiKeyView & { key: string }> {
  assertScopesUsable(input.scopes);
  const key = generateKey();
  const row: ApiKeyRow = {
    id: newId("key"),
    name: input.name,
    hash: await sha256Hex(key),
    prefix: key.slice(0, 12),
    scopes: [...new Set(input.scopes)],
    createdBy: actor,
    createdAt: deps.clock.now(),
    revokedAt: null,
  };
  const view = toView(row);
  await commitChange(deps, {
    workspaceId: null,
    actor,
    action: "api_key.create",
    target: row.id,
    after: view,
    writes: [deps.database.db.insert(apiKeys).values(row)],
  });
  return { ...view, key };
}

export async function listApiKeys(deps: Deps): Promise<ApiKeyView[]> {
  const rows = await deps.database.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
  return rows.map(toView);
}

export async function revokeApiKey(deps: Deps, id: string, actor: string): Promise<ApiKeyView> {
  const [row] = await deps.database.db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  if (!row) throw new AppError("not_found", `No API key ${id}.`);
  const before = toView(row);
  if (row.revokedAt !== null) return before;
  const after = { ...before, revokedAt: deps.clock.now() };
  await commitChange(deps, {
    workspaceId: null,
    actor,
    action: "api_key.revoke",
    target: id,
    before,
    after,
    writes: [
      deps.database.db
        .update(apiKeys)
        .set({ revokedAt: after.revokedAt })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))),
    ],
  });
  return after;
}

/** The key's principal, or null for an unknown or revoked key. Looked up by digest, never by the key itself. */
export async function principalForKey(
  deps: Pick<Deps, "database">,
  key: string,
): Promise<ApiPrincipal | null> {
  const hash = await sha256Hex(key);
  const [row] = await deps.database.db
    .select({ id: apiKeys.id, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row ? { keyId: row.id, scopes: row.scopes } : null;
}

/** The principal of a bearer key: the bootstrap HUB_ADMIN_TOKEN, or a key created through the API (stored hashed). */
export async function authenticate(
  deps: Pick<Deps, "config" | "database">,
  key: string,
): Promise<KeyPrincipal | null> {
  const admin = deps.config.adminToken;
  if (admin && (await sha256Hex(key)) === (await sha256Hex(admin))) {
    return { keyId: "bootstrap", scopes: [...apiScopes] };
  }
  const principal = await principalForKey(deps, key);
  return principal && "keyId" in principal ? principal : null;
}
