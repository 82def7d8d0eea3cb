import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { expect } from "vitest";
import type { ApiScope } from "../../src/workspace/api-key-scopes";
import { adminClient } from "../admin/helpers";
import type { World } from "../helpers/world";

// Calling the Compliance API of a test hub as an eDiscovery tool would: with a key of its own scopes.

export const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

/** A key made through the API with these scopes (the bootstrap key holds every scope; tools get their own). */
export async function keyWith(hub: World, scopes: ApiScope[]): Promise<string> {
  const created = await adminClient(hub).ok("POST", "/api-keys", { name: scopes.join("+"), scopes });
  return created.key as string;
}

export function complianceClient(hub: World, key: string, workspaceId: string) {
  const base = `/api/v1/compliance/workspaces/${workspaceId}`;
  const get = (path: string, headers: Record<string, string> = {}) =>
    hub.request(`${base}${path}`, { headers: { authorization: `Bearer ${key}`, ...headers } });
  const json = async (path: string) => {
    const res = await get(path);
    return { status: res.status, body: (await res.json()) as any };
  };
  return {
    get,
    json,
    async ok(path: string) {
      const res = await json(path);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
      return res.body;
    },
    delete: async (path: string) => {
      const res = await hub.request(`${base}${path}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${key}` },
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    /** A log file's bytes as downloaded (gunzipped when asked compressed), with the response. */
    async download(fileId: string, options: { gzip?: boolean } = {}) {
      const res = await get(`/logs/${fileId}`, options.gzip ? { "accept-encoding": "gzip, deflate" } : {});
      expect(res.status).toBe(200);
      const raw = new Uint8Array(await res.arrayBuffer());
      const bytes = res.headers.get("content-encoding") === "gzip" ? new Uint8Array(gunzipSync(raw)) : raw;
      return { res, raw, bytes, text: new TextDecoder().decode(bytes) };
    },
    /** Every page of a listing, following `next_page`; `between` runs after each page. */
    async all(path: string, between?: () => Promise<void>) {
      const items: any[] = [];
      let url = path;
      for (let i = 0; i < 100; i++) {
        const page = await this.ok(url);
        items.push(...page.data);
        if (!page.has_more) return items;
        await between?.();
        url = `${path}${path.includes("?") ? "&" : "?"}page=${encodeURIComponent(page.next_page)}`;
      }
      throw new Error("paging did not end");
    },
  };
}

/** The events of a JSON Lines file. */
export const lines = (text: string): any[] =>
  text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l));
