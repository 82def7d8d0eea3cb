import { type SetupServer, setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

/**
 * The test file's msw server. A request no handler answers fails the test rather than reaching the network,
 * and the handlers a test installs are dropped after it, so no test sees another's fakes.
 */
export function useMockServer(): SetupServer {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}
