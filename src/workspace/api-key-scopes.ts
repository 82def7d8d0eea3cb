import { apiScopes } from "../db/schema/api-keys";
import { AppError } from "../errors";

// API key scopes. Their names are stored with each key (db/schema/api-keys.ts holds the list); which of them
// open anything is said here, once. A route names the scope it accepts with `adminRoute({ scope })`, and may
// only name one listed in ROUTED_SCOPES: a scope no route serves yet is enabled by adding it below, and key
// creation accepts it from then on.

export type ApiScope = (typeof apiScopes)[number];

/** Scopes some route accepts today. A key holding only others would be refused everywhere. */
// `scim` is accepted by the SCIM routes (scim/app.ts), not by any route of /api/v1; `analytics.read` by the
// analytics API (admin/routes/analytics.ts) and `compliance.read` and `compliance.delete` by the Compliance API
// (admin/routes/compliance.ts), and nothing else: `admin` opens neither of those.
export const ROUTED_SCOPES = [
  "admin",
  "scim",
  "analytics.read",
  "compliance.read",
  "compliance.delete",
] as const satisfies readonly ApiScope[];

export type RoutedScope = (typeof ROUTED_SCOPES)[number];

export { apiScopes };

/** Scopes that open nothing yet, in the order the list names them. */
export function unroutedScopes(scopes: readonly ApiScope[]): ApiScope[] {
  const routed: readonly ApiScope[] = ROUTED_SCOPES;
  return apiScopes.filter((s) => scopes.includes(s) && !routed.includes(s));
}

/**
 * Refuses a key that would hold a scope no route accepts: the holder would expect it to open the API it
 * names and meet 403s instead. The answer names what is usable, so the caller can retry.
 */
export function assertScopesUsable(scopes: readonly ApiScope[]): void {
  const unusable = unroutedScopes(scopes);
  if (unusable.length === 0) return;
  const list = (names: readonly string[]) => names.map((s) => `\`${s}\``).join(", ");
  throw new AppError(
    "bad_request",
    `The scope${unusable.length === 1 ? "" : "s"} ${list(unusable)} cannot be given to a key yet: no route of this hub accepts ${unusable.length === 1 ? "it" : "them"} yet. Scopes a key can hold today: ${list(ROUTED_SCOPES)}.`,
    { unusable, usable: [...ROUTED_SCOPES] },
  );
}
