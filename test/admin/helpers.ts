import { expect } from "vitest";
import { apiKeys } from "../../src/db/schema/api-keys";
import { sha256Hex } from "../../src/lib/crypto";
import type { ApiScope } from "../../src/workspace/api-key-scopes";
import type { World } from "../helpers/world";

/** JSON request helpers against the admin API of a test hub. */
export function adminClient(hub: World, key = hub.secrets.adminToken) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await hub.request(`/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as any) : null };
  };
  return {
    call,
    /** Calls and insists on a 2xx, so a failing setup step says which call failed and why. */
    async ok(method: string, path: string, body?: unknown) {
      const res = await call(method, path, body);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
      return res.body;
    },
  };
}

export function expectEnvelope(body: unknown, code: string) {
  expect(body).toMatchObject({ error: { code, message: expect.any(String), requestId: expect.any(String) } });
}

/**
 * A key holding `scopes`, written straight to the table: how keys made before unrouted scopes were refused
 * look, and the only way to hold such a scope now. Returns the key.
 */
export async function storedKey(hub: World, scopes: ApiScope[]): Promise<string> {
  const key = `chub_stored_${scopes.join("_")}_${Math.random().toString(36).slice(2)}`;
  await hub.database.db.insert(apiKeys).values({
    id: `key_${Math.random().toString(36).slice(2)}`,
    name: `stored ${scopes.join(", ")}`,
    hash: await sha256Hex(key),
    prefix: key.slice(0, 12),
    scopes,
    createdBy: "test",
    createdAt: hub.clock.now(),
    revokedAt: null,
  });
  return key;
}
