import { z } from "@hono/zod-openapi";
import { ROUTED_SCOPES } from "../../workspace/api-key-scopes";
import { apiScopes, createApiKey, listApiKeys, revokeApiKey } from "../../workspace/api-keys";
import {
  type AdminApp,
  actorOf,
  adminRoute,
  createdJson,
  idParams,
  jsonBody,
  listOf,
  nameSchema,
  okJson,
} from "../route-kit";

const apiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.enum(apiScopes)),
    createdBy: z.string(),
    createdAt: z.number(),
    revokedAt: z.number().nullable(),
  })
  .openapi("ApiKey");

const created = apiKey.extend({
  key: z
    .string()
    .openapi({ description: "The key itself: shown this once, stored only as a SHA-256 digest" }),
});

const createBody = z.object({
  name: nameSchema,
  scopes: z
    .array(z.enum(apiScopes))
    .min(1)
    .openapi({
      description: `Scopes a key can hold today: ${ROUTED_SCOPES.join(", ")}. The others are refused (400) until a route accepts them.`,
    }),
});

export function apiKeysApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "post",
      operationId: "createApiKey",
      path: "/api-keys",
      tags: ["API keys"],
      summary: "Create an API key (the key is returned once)",
      request: { body: jsonBody(createBody) },
      responses: createdJson(created, "The new key"),
    }),
    async (c) => c.json(await createApiKey(c.var.deps, c.req.valid("json"), actorOf(c)), 201),
  );
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listApiKeys",
      path: "/api-keys",
      tags: ["API keys"],
      summary: "List API keys (never the keys themselves)",
      responses: okJson(listOf(apiKey), "Keys, newest first"),
    }),
    async (c) => c.json({ items: await listApiKeys(c.var.deps) }, 200),
  );
  app.openapi(
    adminRoute({
      method: "delete",
      operationId: "revokeApiKey",
      path: "/api-keys/{keyId}",
      tags: ["API keys"],
      summary: "Revoke an API key",
      request: { params: idParams("keyId") },
      responses: okJson(apiKey, "The revoked key"),
    }),
    async (c) => c.json(await revokeApiKey(c.var.deps, c.req.valid("param").keyId, actorOf(c)), 200),
  );
}
