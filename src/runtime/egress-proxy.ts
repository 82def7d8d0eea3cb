import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import {
  type EgressRefusal,
  matchHost,
  mayReachNonPublic,
  normalizeHost,
  refusalMessages,
} from "../access/internet";
import type { Logger } from "../lib/logger";
import { nonPublicRange, type Resolve, systemResolve } from "./egress-addresses";
import {
  createEgressSessions,
  type EgressGrant,
  type EgressSession,
  proxyVariables,
} from "./egress-sessions";
import { answer, forwardable, parseAuthority, realm, reply } from "./egress-wire";

// The hub's forward proxy for agents' internet traffic: plain HTTP requests are forwarded when their host and
// method are in the task's allowlist; HTTPS arrives as CONNECT tunnels, which are opened when the host is (the
// requests inside are encrypted, so their methods cannot be checked). Each task authenticates with its own
// credentials (egress-sessions.ts). Names are resolved here and the connection goes to the address that was
// checked. Refusals are 403s whose body names the rule, and are handed to the task's `onRefusal`.
// Plain node:http rather than a proxy library: the checks need the resolved address before connecting and
// per-task credentials on every request, which is most of what such a library would have to be bent to do.

export interface EgressProxyOptions {
  /** 0: any free port. The proxy listens on 127.0.0.1 only. */
  port: number;
  logger: Logger;
  /** How names are resolved (tests answer names of their own). */
  resolve?: Resolve;
  /** How long connecting to an upstream host may take. */
  connectTimeoutMs?: number;
}

export interface EgressProxy {
  readonly port: number;
  /** Starts a task's session: the variables its agent gets; `close` ends it (and its open connections). */
  open(grant: EgressGrant): { env: Record<string, string>; close(): void };
  /** The variables of a task whose session is open. */
  envFor(taskId: string): Record<string, string> | undefined;
  close(): Promise<void>;
}

type Verdict =
  | { ok: true; address: string }
  | { ok: false; refusal: EgressRefusal }
  | { ok: false; status: 502; message: string };

export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  const sessions = createEgressSessions();
  const envs = new Map<string, Record<string, string>>();
  const resolve = options.resolve ?? systemResolve;
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  const log = options.logger.child({ component: "egress-proxy" });

  async function check(
    session: EgressSession,
    host: string,
    port: number,
    method: string | null,
  ): Promise<Verdict> {
    const { allowlist, grant } = session;
    const refuse = (kind: EgressRefusal["kind"], message: string): Verdict => ({
      ok: false,
      refusal: { kind, method: method ?? "CONNECT", host, port, message },
    });
    if (!allowlist || allowlist.entries.length === 0)
      return refuse("internet_off", refusalMessages.internetOff(grant.scope));
    if (!matchHost(allowlist, host))
      return refuse("not_allowlisted", refusalMessages.notAllowlisted(host, grant.scope));
    if (method !== null && !allowlist.methods.has(method)) {
      const message = refusalMessages.methodNotAllowed(method, host, allowlist, grant.scope);
      return refuse("method_not_allowed", message);
    }
    let addresses: string[];
    try {
      addresses = await resolve(host);
    } catch (error) {
      return {
        ok: false,
        status: 502,
        message: `${host} could not be resolved (${(error as Error).message}).`,
      };
    }
    for (const address of addresses) {
      if (!nonPublicRange(address) || mayReachNonPublic(allowlist, host, address))
        return { ok: true, address };
    }
    const first = addresses[0];
    if (!first) return { ok: false, status: 502, message: `${host} has no address.` };
    const range = nonPublicRange(first) ?? "non-public";
    return refuse("non_public_address", refusalMessages.nonPublicAddress(host, first, range, grant.scope));
  }

  function refused(session: EgressSession, refusal: EgressRefusal) {
    log.info({ taskId: session.grant.taskId, kind: refusal.kind, host: refusal.host }, "egress refused");
    try {
      session.grant.onRefusal(refusal);
    } catch (error) {
      log.warn({ error: (error as Error).message }, "recording an egress refusal failed");
    }
  }

  function track(session: EgressSession, socket: Socket) {
    // A kept-alive client connection carries many requests: listen for its close once.
    if (session.sockets.has(socket)) return;
    session.sockets.add(socket);
    socket.once("close", () => session.sockets.delete(socket));
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    const session = sessions.authenticate(req.headers["proxy-authorization"]);
    if (!session)
      return answer(
        res,
        407,
        "Proxy authentication required: the task's credentials are unknown or expired.",
      );
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      return answer(res, 400, "This is a forward proxy: send absolute http:// URLs, or CONNECT for HTTPS.");
    }
    if (target.protocol !== "http:")
      return answer(res, 400, "Only http:// URLs are forwarded; use CONNECT for HTTPS.");
    const host = normalizeHost(target.hostname);
    const port = Number(target.port || 80);
    const method = (req.method ?? "GET").toUpperCase();
    track(session, req.socket);
    const verdict = await check(session, host, port, method);
    // The task stopped while its request was being checked.
    if (req.socket.destroyed) return;
    if (!verdict.ok) {
      if ("refusal" in verdict) {
        refused(session, verdict.refusal);
        return answer(res, 403, verdict.refusal.message);
      }
      return answer(res, verdict.status, verdict.message);
    }
    const upstream = httpRequest({
      host: verdict.address,
      port,
      method,
      path: `${target.pathname}${target.search}`,
      headers: { ...forwardable(req.headers), host: target.host },
      setHost: false,
      agent: false,
      timeout: connectTimeoutMs,
    });
    upstream.once("socket", (socket) => track(session, socket));
    upstream.once("timeout", () => upstream.destroy(new Error("timed out")));
    upstream.once("response", (response) => {
      res.writeHead(response.statusCode ?? 502, response.statusMessage, forwardable(response.headers));
      response.pipe(res);
    });
    upstream.once("error", (error) => {
      if (res.headersSent) res.destroy();
      else answer(res, 502, `${host}:${port} could not be reached (${error.message}).`);
    });
    req.pipe(upstream);
  }

  async function onConnect(req: IncomingMessage, client: Socket, head: Buffer) {
    client.on("error", () => {});
    const session = sessions.authenticate(req.headers["proxy-authorization"]);
    if (!session) {
      return reply(
        client,
        407,
        "Proxy authentication required: the task's credentials are unknown or expired.",
        {
          "Proxy-Authenticate": realm,
        },
      );
    }
    const authority = parseAuthority(req.url ?? "");
    if (!authority) return reply(client, 400, "CONNECT needs host:port.");
    const { host, port } = authority;
    track(session, client);
    const verdict = await check(session, host, port, null);
    if (client.destroyed) return;
    if (!verdict.ok) {
      if ("refusal" in verdict) {
        refused(session, verdict.refusal);
        return reply(client, 403, verdict.refusal.message);
      }
      return reply(client, verdict.status, verdict.message);
    }
    const upstream = connect({ host: verdict.address, port, timeout: connectTimeoutMs });
    track(session, upstream);
    let open = false;
    upstream.once("timeout", () => upstream.destroy(new Error("timed out")));
    upstream.once("connect", () => {
      open = true;
      upstream.setTimeout(0);
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.once("error", (error) => {
      if (open) client.destroy();
      else reply(client, 502, `${host}:${port} could not be reached (${error.message}).`);
    });
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: Error) => {
      log.warn({ error: error.message }, "egress request failed");
      if (!res.headersSent) answer(res, 502, "The proxy could not forward this request.");
    });
  });
  server.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    onConnect(req, socket, head).catch((error: Error) => {
      log.warn({ error: error.message }, "egress tunnel failed");
      socket.destroy();
    });
  });
  // WebSockets over plain HTTP would need the upgrade forwarded; wss:// (a CONNECT tunnel) works.
  server.on("upgrade", (_req: IncomingMessage, socket: Socket) =>
    reply(socket, 501, "Upgrades over plain HTTP are not forwarded; use wss:// or https://."),
  );
  server.on("clientError", (_error, socket: Socket) => reply(socket, 400, "Bad request."));

  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    open(grant) {
      const issued = sessions.open(grant);
      const env = proxyVariables(
        `http://${encodeURIComponent(issued.user)}:${issued.token}@127.0.0.1:${port}`,
      );
      envs.set(grant.taskId, env);
      return {
        env,
        close() {
          if (envs.get(grant.taskId) === env) envs.delete(grant.taskId);
          issued.close();
        },
      };
    },
    envFor: (taskId) => envs.get(taskId),
    async close() {
      sessions.closeAll();
      envs.clear();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
