import type { PermissionLevel } from "../routing/slash-types";
import type { ApiScope } from "./api-key-scopes";

// Who calls the admin API: kept here, with the keys and sessions that produce them, so the HTTP layer and the
// domain name the same thing without importing each other.

/** An API key, sent as a bearer token or behind a web session opened with it. */
export interface KeyPrincipal {
  keyId: string;
  scopes: ApiScope[];
}

/** A member's web session: scopes by their level (session-auth.ts). */
export interface MemberPrincipal {
  memberId: string;
  level: PermissionLevel;
  scopes: ApiScope[];
}

export type ApiPrincipal = KeyPrincipal | MemberPrincipal;

/** How a principal is named in the audit log: a member's session as the member, a key (or its session) as the key. */
export const auditActor = (principal: ApiPrincipal): string =>
  "memberId" in principal ? `member:${principal.memberId}` : `api_key:${principal.keyId}`;
