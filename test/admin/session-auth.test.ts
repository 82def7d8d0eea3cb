import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditLog } from "../../src/db/schema/audit";
import { LOCAL_OWNER_ID, LOCAL_WORKSPACE_ID } from "../../src/workspace/workspaces";
import { createWorld, type World } from "../helpers/world";
import type { Browser } from "../web/browser";
import { consolePeople } from "../web/console/people";

// The admin API with a browser's session instead of a key: reads work as they do for a key of the session's
// scopes; a change needs the hub's own Origin and the page's form token in x-csrf-token.

let hub: World;
afterEach(() => hub?.close());

const HUB_ORIGIN = "http://hub.test";
const TOGGLES = `/api/v1/workspaces/${LOCAL_WORKSPACE_ID}/toggles`;

/** A fetch from a console page: the browser's cookies, plus whatever headers the script chose to send. */
async function call(
  b: Browser,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) {
  return hub.request(path, {
    method,
    headers: {
      cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join("; "),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The form token a console page carries (and the cookie it is tied to, kept in the browser's jar). */
const tokenOf = async (b: Browser) => (await b.formFields("/")).form_token!;

const togglesChanges = () =>
  hub.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "toggles.update"), eq(auditLog.workspaceId, LOCAL_WORKSPACE_ID)));

describe("the admin API with a signed-in session", () => {
  it("answers an owner's GET without a key", async () => {
    hub = createWorld();
    const { owner } = await consolePeople(hub);
    const res = await call(owner, "GET", TOGGLES, {});
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ codexCloud: expect.any(Boolean) });
  });

  it("refuses a change without x-csrf-token or from another origin, and changes nothing", async () => {
    hub = createWorld();
    const { owner } = await consolePeople(hub);
    const token = await tokenOf(owner);
    const noToken = await call(owner, "PATCH", TOGGLES, { origin: HUB_ORIGIN }, { codexCloud: false });
    expect(noToken.status).toBe(403);
    expect(await noToken.json()).toMatchObject({ error: { code: "forbidden", message: /x-csrf-token/ } });
    const crossSite = await call(
      owner,
      "PATCH",
      TOGGLES,
      { origin: "https://evil.example", "x-csrf-token": token },
      { codexCloud: false },
    );
    expect(crossSite.status).toBe(403);
    expect(await crossSite.json()).toMatchObject({ error: { code: "forbidden" } });
    const noOrigin = await call(owner, "PATCH", TOGGLES, { "x-csrf-token": token }, { codexCloud: false });
    expect(noOrigin.status).toBe(403);
    const wrongToken = await call(
      owner,
      "PATCH",
      TOGGLES,
      { origin: HUB_ORIGIN, "x-csrf-token": "0".repeat(64) },
      { codexCloud: false },
    );
    expect(wrongToken.status).toBe(403);
    expect(await togglesChanges()).toEqual([]);
  });

  it("accepts a change with the hub's Origin and the token, audited as the member", async () => {
    hub = createWorld();
    const { owner } = await consolePeople(hub);
    const before = (await (await call(owner, "GET", TOGGLES, {})).json()) as { codexCloud: boolean };
    const res = await call(
      owner,
      "PATCH",
      TOGGLES,
      { origin: HUB_ORIGIN, "x-csrf-token": await tokenOf(owner) },
      { codexCloud: !before.codexCloud },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ codexCloud: !before.codexCloud });
    const changes = await togglesChanges();
    expect(changes.map((r) => r.actor)).toEqual([`member:${LOCAL_OWNER_ID}`]);
  });

  it("audits a session opened with an API key exactly as the key", async () => {
    hub = createWorld();
    const { key } = await consolePeople(hub);
    const res = await call(
      key,
      "PATCH",
      TOGGLES,
      { origin: HUB_ORIGIN, "x-csrf-token": await tokenOf(key) },
      { agentInternet: true },
    );
    expect(res.status).toBe(200);
    expect((await togglesChanges()).map((r) => r.actor)).toEqual(["api_key:bootstrap"]);
  });

  it("refuses a member's or a Codex Admin's session on admin routes, naming what is needed", async () => {
    hub = createWorld();
    const { member, admin } = await consolePeople(hub);
    for (const person of [member, admin]) {
      const read = await call(person, "GET", TOGGLES, {});
      expect(read.status).toBe(403);
      expect(await read.json()).toMatchObject({ error: { code: "forbidden", message: /`admin` scope/ } });
      const change = await call(
        person,
        "PATCH",
        TOGGLES,
        { origin: HUB_ORIGIN, "x-csrf-token": await tokenOf(person) },
        { codexCloud: false },
      );
      expect(change.status).toBe(403);
    }
    expect(await togglesChanges()).toEqual([]);
  });

  it("still answers 401 to a request with neither a key nor a session, and keeps bearer keys as they were", async () => {
    hub = createWorld();
    await hub.ready;
    const anonymous = await hub.request(TOGGLES);
    expect(anonymous.status).toBe(401);
    const keyed = await hub.request(TOGGLES, {
      method: "PATCH",
      headers: { ...hub.adminHeaders, "content-type": "application/json" },
      body: JSON.stringify({ agentInternet: true }),
    });
    expect(keyed.status).toBe(200);
  });
});
