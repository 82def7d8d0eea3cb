import { Hono } from "hono";
import type { ScimEnv } from "../context";
import { ScimError, scimJson } from "./errors";
import { scimResourceTypes, scimSchemas } from "./schemas";

// What an identity provider reads before provisioning (RFC 7644 §4,
// https://www.rfc-editor.org/rfc/rfc7644#section-4): the service provider's features, the resource types
// and their schemas, shaped as RFC 7643 §5-7 define them.

const LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SERVICE_PROVIDER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

const meta = (resourceType: string, location: string) => ({ meta: { resourceType, location } });

const listResponse = (resources: unknown[]) => ({
  schemas: [LIST_RESPONSE],
  totalResults: resources.length,
  itemsPerPage: resources.length,
  startIndex: 1,
  Resources: resources,
});

const schemaResource = (schema: (typeof scimSchemas)[number], baseUrl: string) => ({
  schemas: [SCHEMA_SCHEMA],
  ...schema,
  ...meta("Schema", `${baseUrl}/Schemas/${schema.id}`),
});

const resourceTypeResource = (type: (typeof scimResourceTypes)[number], baseUrl: string) => ({
  schemas: [RESOURCE_TYPE_SCHEMA],
  ...type,
  ...meta("ResourceType", `${baseUrl}/ResourceTypes/${type.id}`),
});

/** Ids are compared as SCIM compares attribute names and URNs: without regard to case. */
const byId = <T extends { id: string }>(items: T[], id: string, what: string): T => {
  const found = items.find((item) => item.id.toLowerCase() === id.toLowerCase());
  if (!found) throw new ScimError(404, `No ${what} ${id}.`);
  return found;
};

export function scimDiscovery() {
  const api = new Hono<ScimEnv>();

  api.get("/ServiceProviderConfig", (c) =>
    scimJson(c, {
      schemas: [SERVICE_PROVIDER_SCHEMA],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [
        {
          type: "oauthbearertoken",
          name: "API key",
          description: "An API key with the `scim` scope (or `admin`) as a bearer token",
          primary: true,
        },
      ],
      ...meta("ServiceProviderConfig", `${c.var.baseUrl}/ServiceProviderConfig`),
    }),
  );

  api.get("/ResourceTypes", (c) =>
    scimJson(c, listResponse(scimResourceTypes.map((t) => resourceTypeResource(t, c.var.baseUrl)))),
  );
  api.get("/ResourceTypes/:id", (c) =>
    scimJson(
      c,
      resourceTypeResource(byId(scimResourceTypes, c.req.param("id"), "resource type"), c.var.baseUrl),
    ),
  );

  api.get("/Schemas", (c) =>
    scimJson(c, listResponse(scimSchemas.map((s) => schemaResource(s, c.var.baseUrl)))),
  );
  api.get("/Schemas/:id", (c) =>
    scimJson(c, schemaResource(byId(scimSchemas, c.req.param("id"), "schema"), c.var.baseUrl)),
  );

  return api;
}
