import { ScimError } from "./errors";

// The filters identity providers send when provisioning (RFC 7644 §3.4.2.2): `attribute eq "value"`, e.g.
// Okta and Entra look a user up with `userName eq "ada@example.com"` before creating it. Nothing else is
// supported; anything else is refused as invalidFilter rather than silently matching everything.

export interface EqFilter {
  attribute: string;
  value: string;
}

const EQ = /^\s*([A-Za-z][\w.:]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i;

export function parseFilter(filter: string | undefined, allowed: readonly string[]): EqFilter | undefined {
  if (filter === undefined || filter.trim() === "") return undefined;
  const match = EQ.exec(filter);
  if (!match)
    throw new ScimError(400, `Unsupported filter: ${filter}. Use: attribute eq "value".`, "invalidFilter");
  const attribute = allowed.find((a) => a.toLowerCase() === match[1]!.toLowerCase());
  if (!attribute) {
    throw new ScimError(
      400,
      `Filtering on ${match[1]} is not supported; use one of ${allowed.join(", ")}.`,
      "invalidFilter",
    );
  }
  return { attribute, value: match[2]!.replace(/\\(.)/g, "$1") };
}

/** startIndex is 1-based; count is capped so one request cannot ask for the whole directory at once. */
export function page<T>(items: T[], query: { startIndex?: string; count?: string }) {
  const startIndex = Math.max(1, Number.parseInt(query.startIndex ?? "1", 10) || 1);
  const count = Math.min(1000, Math.max(0, Number.parseInt(query.count ?? "100", 10) || 0));
  return {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    totalResults: items.length,
    startIndex,
    itemsPerPage: Math.min(count, Math.max(0, items.length - startIndex + 1)),
    Resources: items.slice(startIndex - 1, startIndex - 1 + count),
  };
}

/** Entra sends booleans as "True"/"False" strings in PATCH operations. */
export function booleanish(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return undefined;
}
