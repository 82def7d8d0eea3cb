import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { expect, it } from "vitest";
import worker from "../../src/runtime/worker";

it("answers readyz", async () => {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request("http://hub.test/readyz"), env as never, ctx);
  await waitOnExecutionContext(ctx);
  expect(await res.json()).toMatchObject({ status: "ready" });
});
