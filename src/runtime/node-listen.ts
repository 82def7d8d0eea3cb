import type { AddressInfo } from "node:net";
import { createAdaptorServer, type ServerType } from "@hono/node-server";

/** A start-up failure whose message already says what to do; printed as it is, without a stack. */
export class ListenError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "ListenError";
  }
}

/**
 * Serves `fetch` on host:port. Resolves once the socket is bound, with the address actually bound (port 0
 * picks a free one); rejects with a ListenError for the usual operator mistakes instead of the 'error' event
 * that `serve()` leaves unhandled (an uncaught EADDRINUSE stack trace).
 */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  at: { host: string; port: number },
): Promise<{ server: ServerType; address: AddressInfo }> {
  const server = createAdaptorServer({ fetch });
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(explain(error, at));
    server.once("error", failed);
    server.listen(at.port, at.host, () => {
      server.off("error", failed);
      resolve({ server, address: server.address() as AddressInfo });
    });
  });
}

function explain(error: NodeJS.ErrnoException, at: { host: string; port: number }): Error {
  switch (error.code) {
    case "EADDRINUSE":
      return new ListenError(
        `Port ${at.port} is already in use on ${at.host}; stop the other process or set PORT.`,
        error.code,
      );
    case "EACCES":
      return new ListenError(
        `Port ${at.port} on ${at.host} needs privileges this process does not have; set PORT to 1024 or above.`,
        error.code,
      );
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new ListenError(
        `HOST ${at.host} is not an address of this machine; set HOST to one of its addresses, 127.0.0.1 or 0.0.0.0.`,
        error.code,
      );
    default:
      return error;
  }
}
