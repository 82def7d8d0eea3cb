import { compileErrors, validate } from "@readme/openapi-parser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorld, type World } from "../helpers/world";
import { expectEnvelope } from "./helpers";

// The admin API's OpenAPI document as client generators and readers use it: valid OpenAPI 3.1, every
// operation named, every error documented as the shared envelope; and its reference page at /api/v1/docs,
// served whole from the hub.

type Operation = {
  operationId?: string;
  requestBody?: unknown;
  parameters?: unknown[];
  responses: Record<string, { $ref?: string }>;
};
type Doc = {
  openapi: string;
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, unknown>; schemas: Record<string, unknown> };
};

let hub: World;
let doc: Doc;

beforeEach(async () => {
  hub = createWorld();
  await hub.ready;
  doc = (await (await hub.request("/api/v1/openapi.json")).json()) as Doc;
});
afterEach(() => hub.close());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ label: `${method} ${path}`, method, operation })),
  );

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1", async () => {
    expect(doc.openapi).toBe("3.1.0");
    // The validator resolves $refs in place: give it a copy.
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
  });

  it("has a server the paths resolve against", async () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: "/api/v1" })]);
    const base = new URL(doc.servers![0]!.url, "http://hub.test/api/v1/openapi.json");
    const res = await hub.request(new URL("/api/v1/workspaces", base).pathname, {
      headers: hub.adminHeaders,
    });
    expect(res.status).toBe(200);
  });

  it("names every operation with a unique camelCase operationId", () => {
    const all = operations();
    expect(all.length).toBeGreaterThan(50);
    const missing = all.filter((o) => !o.operation.operationId).map((o) => o.label);
    expect(missing).toEqual([]);
    const ids = all.map((o) => o.operation.operationId!);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    // Resources derive theirs from the collection and the noun.
    expect(ids).toEqual(
      expect.arrayContaining(["listGroups", "createGroup", "getPolicy", "deleteEnvironment"]),
    );
  });

  it("documents the errors each operation can give as the shared envelope", () => {
    expect(doc.components.schemas.Error).toBeDefined();
    for (const { label, method, operation } of operations()) {
      const statuses = Object.keys(operation.responses).filter((s) => s.startsWith("4"));
      for (const status of statuses) {
        expect(operation.responses[status]!.$ref, `${label} ${status}`).toMatch(
          /^#\/components\/responses\//,
        );
      }
      expect(statuses, label).toEqual(expect.arrayContaining(["401", "403"]));
      if (operation.parameters?.length || operation.requestBody) {
        expect(statuses, label).toEqual(expect.arrayContaining(["400", "404"]));
      }
      if (operation.requestBody) expect(statuses, label).toEqual(expect.arrayContaining(["413", "415"]));
      if (method === "get") expect(statuses, label).not.toContain("409");
    }
  });

  it("refuses a body that is not JSON (415) or larger than 1 MiB (413), as documented", async () => {
    const send = (body: string, type: string) =>
      hub.request("/api/v1/workspaces", {
        method: "POST",
        headers: { ...hub.adminHeaders, "content-type": type },
        body,
      });
    const form = await send("name=x", "application/x-www-form-urlencoded");
    expect(form.status).toBe(415);
    expectEnvelope(await form.json(), "unsupported_media_type");
    const huge = await send(JSON.stringify({ name: "x".repeat(1024 * 1024) }), "application/json");
    expect(huge.status).toBe(413);
    expectEnvelope(await huge.json(), "payload_too_large");
    // Authentication still comes first.
    const anonymous = await hub.request("/api/v1/workspaces", { method: "POST", body: "x" });
    expect(anonymous.status).toBe(401);
  });
});

describe("the reference page at /api/v1/docs", () => {
  it("loads its renderer from the hub, under a policy that allows only that", async () => {
    const res = await hub.request("/api/v1/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-");
    expect(csp).not.toMatch(/https?:/);
    const page = await res.text();
    // Nothing from another origin: every URL on the page is a path on this hub.
    expect(page).not.toMatch(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    expect(page).not.toMatch(/<script>|<style>|\son\w+=/i);
    const urls = [...page.matchAll(/(?:src|href|data-spec-url)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toEqual(
      expect.arrayContaining([
        "/api/v1/docs/assets/swagger-ui.css",
        "/api/v1/docs/assets/swagger-ui-bundle.js",
        "/api/v1/docs/assets/init.js",
        "/api/v1/openapi.json",
      ]),
    );
    const types: Record<string, string> = {
      js: "text/javascript",
      css: "text/css",
      json: "application/json",
    };
    for (const url of urls) {
      expect(url.startsWith("/api/v1/"), url).toBe(true);
      const asset = await hub.request(url);
      expect(asset.status, url).toBe(200);
      expect(asset.headers.get("content-type"), url).toContain(types[url.split(".").pop()!]);
      expect((await asset.arrayBuffer()).byteLength, url).toBeGreaterThan(100);
    }
    // No page of the hub but this one gets the docs policy.
    expect((await hub.request("/api/v1/openapi.json")).headers.get("content-security-policy")).toBeNull();
  });

  it("answers 404 for a file it does not serve", async () => {
    for (const name of ["nope.js", "..%2Fpackage.json", "index.html", "swagger-ui-bundle.js.map"]) {
      const res = await hub.request(`/api/v1/docs/assets/${name}`);
      expect(res.status, name).toBe(404);
    }
  });
});
