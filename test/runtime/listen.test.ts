import { once } from "node:events";
import { type AddressInfo, createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { listen } from "../../src/runtime/node-listen";
import { createWorld } from "../helpers/world";
import { testConfig } from "../helpers/world-config";

const held: { close(): unknown }[] = [];
afterEach(() => {
  for (const server of held.splice(0)) server.close();
});

/** Takes a free port on 127.0.0.1 and keeps it, as another program would. */
async function holdPort(): Promise<number> {
  const other: Server = createServer();
  other.listen(0, "127.0.0.1");
  await once(other, "listening");
  held.push(other);
  return (other.address() as AddressInfo).port;
}

describe("starting the HTTP server", () => {
  it("says in one line that the port is taken, instead of an EADDRINUSE stack", async () => {
    const port = await holdPort();
    const failure = await listen(() => new Response("ok"), { host: "127.0.0.1", port }).catch((e) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(failure.message).toBe(
      `Port ${port} is already in use on 127.0.0.1; stop the other process or set PORT.`,
    );
    expect(failure.message).not.toContain("\n");
  });

  it("binds a sandbox hub to 127.0.0.1 and tells the address it bound", async () => {
    const hub = createWorld({ config: testConfig({ PORT: "0" }) });
    try {
      expect(hub.deps.config.sandbox).toBe(true);
      const { server, address } = await listen(hub.app.fetch, hub.deps.config);
      held.push(server);
      expect(address).toMatchObject({ address: "127.0.0.1", family: "IPv4" });
      const res = await fetch(`http://127.0.0.1:${address.port}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      hub.close();
    }
  });
});
