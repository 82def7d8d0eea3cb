import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Socket } from "node:net";
import { type Allowlist, allowlistOf, type EgressRefusal, type EgressScope } from "../access/internet";
import type { InternetAccess } from "../access/types";

// The egress proxy's credentials: one random token per running task, given to the agent inside the proxy URL
// of its HTTP(S)_PROXY variables and dropped (with every connection made under it) when the task stops.

/** What a task's agent may reach, and where its refusals go. */
export interface EgressGrant {
  taskId: string;
  internet: InternetAccess;
  scope: EgressScope;
  onRefusal(refusal: EgressRefusal): void;
}

export interface EgressSession {
  readonly grant: EgressGrant;
  /** null: internet access is off (every request is refused). */
  readonly allowlist: Allowlist | null;
  /** Client and upstream sockets of this task, destroyed when it stops. */
  readonly sockets: Set<Socket>;
}

/** The variables that send an agent's traffic through the proxy with its task's credentials. */
export function proxyVariables(url: string): Record<string, string> {
  return {
    HTTP_PROXY: url,
    HTTPS_PROXY: url,
    http_proxy: url,
    https_proxy: url,
    // Empty, so that no inherited exception lets a host bypass the proxy.
    NO_PROXY: "",
    no_proxy: "",
  };
}

interface Held extends EgressSession {
  token: Buffer;
}

export function createEgressSessions() {
  const byTask = new Map<string, Held>();

  function drop(held: Held) {
    if (byTask.get(held.grant.taskId) === held) byTask.delete(held.grant.taskId);
    for (const socket of held.sockets) socket.destroy();
    held.sockets.clear();
  }

  return {
    /** Issues the task's credentials (replacing any it held); `close` revokes them. */
    open(grant: EgressGrant): { user: string; token: string; close(): void } {
      const previous = byTask.get(grant.taskId);
      if (previous) drop(previous);
      const token = randomBytes(24).toString("base64url");
      const held: Held = {
        grant,
        allowlist: allowlistOf(grant.internet),
        sockets: new Set(),
        token: Buffer.from(token),
      };
      byTask.set(grant.taskId, held);
      return { user: grant.taskId, token, close: () => drop(held) };
    },

    /** The session a `Proxy-Authorization: Basic` header proves, or null (unknown or expired credentials). */
    authenticate(header: string | string[] | undefined): EgressSession | null {
      if (typeof header !== "string") return null;
      const [scheme, encoded] = header.trim().split(/\s+/, 2);
      if (scheme?.toLowerCase() !== "basic" || !encoded) return null;
      const decoded = Buffer.from(encoded, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) return null;
      const held = byTask.get(safeDecode(decoded.slice(0, colon)));
      if (!held) return null;
      const given = Buffer.from(safeDecode(decoded.slice(colon + 1)));
      return given.length === held.token.length && timingSafeEqual(given, held.token) ? held : null;
    },

    /** Tasks holding credentials now. */
    size: () => byTask.size,

    closeAll() {
      for (const held of [...byTask.values()]) drop(held);
    },
  };
}

// Some clients send the URL's user info still percent-encoded.
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export type EgressSessions = ReturnType<typeof createEgressSessions>;
