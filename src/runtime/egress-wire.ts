import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { normalizeHost } from "../access/internet";

// What the egress proxy says on the wire: forwarded headers, its own answers on a response or a raw socket
// (CONNECT), and the authority of a CONNECT request.

// Headers that belong to one hop (RFC 9110 §7.6.1) and must not be forwarded.
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-authorization",
  "proxy-authenticate",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);
export const realm = 'Basic realm="codex-hub egress proxy"';

/** The headers to pass on, without the hop-by-hop ones and those the Connection header names. */
export function forwardable(headers: IncomingMessage["headers"]): Record<string, string | string[]> {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase()),
  );
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hopByHop.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** The proxy's own plain-text answer to a plain HTTP request; 407 carries the Basic challenge. */
export function answer(res: ServerResponse, status: number, message: string) {
  const body = `${message}\n`;
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    connection: "close",
    ...(status === 407 ? { "proxy-authenticate": realm } : {}),
  });
  res.end(body);
}

const reasons: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  407: "Proxy Authentication Required",
  501: "Not Implemented",
  502: "Bad Gateway",
};

/** An answer written on a raw socket (CONNECT, upgrades), which then closes. */
export function reply(socket: Socket, status: number, message: string, headers: Record<string, string> = {}) {
  if (socket.destroyed || !socket.writable) return;
  const body = `${message}\n`;
  const lines = [
    `HTTP/1.1 ${status} ${reasons[status] ?? "Error"}`,
    "Content-Type: text/plain; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join("\r\n")}\r\n\r\n${body}`);
}

/** `host:port` or `[v6]:port` of a CONNECT request. */
export function parseAuthority(authority: string): { host: string; port: number } | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/@\s]+):(\d{1,5})$/.exec(authority);
  const port = Number(match?.[2]);
  if (!match?.[1] || port < 1 || port > 65_535) return null;
  return { host: normalizeHost(match[1]), port };
}
