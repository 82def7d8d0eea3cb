// `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.5):
// a client names the attributes it wants (or does not want) as a comma-separated list of paths,
// `userName`, `name.givenName`, or with the schema URN in front (`urn:...:2.0:User:userName`). Attribute
// names are case-insensitive (RFC 7643 §2.1). `id` and `schemas` are always returned (RFC 7643 §3.1: id is
// "returned: always"), whatever was asked.

type Resource = Record<string, unknown>;

const ALWAYS = new Set(["id", "schemas"]);

/** `urn:ietf:params:scim:schemas:core:2.0:User:name.givenName` → [`name`, `givenname`]. */
function parsePaths(list: string | undefined): string[][] {
  if (!list) return [];
  return list
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (p.toLowerCase().startsWith("urn:") ? p.slice(p.lastIndexOf(":") + 1) : p))
    .map((p) => p.toLowerCase().split("."));
}

const keyOf = (object: Resource, name: string) => Object.keys(object).find((k) => k.toLowerCase() === name);

const isObject = (value: unknown): value is Resource =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Applies `pick` to an object value, or to each object of a multi-valued one (`emails.value`). */
const eachObject = (value: unknown, pick: (object: Resource) => Resource): unknown =>
  Array.isArray(value)
    ? value.map((v) => (isObject(v) ? pick(v) : v))
    : isObject(value)
      ? pick(value)
      : value;

function include(resource: Resource, paths: string[][]): Resource {
  const out: Resource = {};
  for (const [key, value] of Object.entries(resource)) {
    const name = key.toLowerCase();
    if (ALWAYS.has(name) || paths.some((p) => p.length === 1 && p[0] === name)) {
      out[key] = value;
      continue;
    }
    const subs = paths.filter((p) => p.length > 1 && p[0] === name).map((p) => p.slice(1));
    if (subs.length > 0) out[key] = eachObject(value, (object) => include(object, subs));
  }
  return out;
}

function exclude(resource: Resource, paths: string[][]): Resource {
  const out: Resource = { ...resource };
  for (const [name, ...rest] of paths) {
    const key = keyOf(out, name!);
    if (!key || ALWAYS.has(key.toLowerCase())) continue;
    if (rest.length === 0) delete out[key];
    else out[key] = eachObject(out[key], (object) => exclude(object, [rest]));
  }
  return out;
}

/**
 * The resource as the query asks for it. With `attributes`, only those (and the always-returned ones);
 * otherwise everything but `excludedAttributes`.
 */
export function project<T extends Resource>(
  resource: T,
  query: { attributes?: string; excludedAttributes?: string },
): Partial<T> {
  const wanted = parsePaths(query.attributes);
  if (wanted.length > 0) return include(resource, wanted) as Partial<T>;
  const unwanted = parsePaths(query.excludedAttributes);
  return unwanted.length > 0 ? (exclude(resource, unwanted) as Partial<T>) : resource;
}
