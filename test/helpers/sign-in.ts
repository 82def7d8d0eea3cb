import { Hono } from "hono";
import type { Deps } from "../../src/deps";
import { type SessionProvider, startSession } from "../../src/web/sign-in-session";

/**
 * A web session cookie (`name=value`) for someone, started exactly the way every sign-in ends. For hubs that
 * are not in sandbox mode, where the local sign-in does not exist.
 */
export async function sessionCookieFor(
  deps: Deps,
  who: { provider: SessionProvider; subject: string; displayName?: string },
): Promise<string> {
  const app = new Hono();
  app.get("/", async (c) => {
    await startSession(c, deps, { displayName: who.subject, ...who });
    return c.text("ok");
  });
  const res = await app.request("/");
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => !c.endsWith("="));
  if (!cookie) throw new Error("no session cookie was set");
  return cookie;
}
