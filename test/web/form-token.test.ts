import { afterEach, describe, expect, it } from "vitest";
import { webSessions } from "../../src/db/schema/sessions";
import { ensureLocalWorkspace, LOCAL_WORKSPACE_ID } from "../../src/workspace/workspaces";
import { createWorld, type World } from "../helpers/world";
import { browser, hiddenFields } from "./browser";
import { storeTask } from "./tasks";

// The sign-in and sign-out forms carry a token tied to the browser that loaded them: another site (or a
// sibling subdomain) can make a browser POST, but cannot know that token.

let hub: World;
afterEach(() => hub?.close());

async function sandboxHub() {
  hub = createWorld();
  await ensureLocalWorkspace(hub.deps);
  return storeTask(hub, {
    workspaceId: LOCAL_WORKSPACE_ID,
    environmentId: null,
    requesterMemberId: "mem_local_owner",
    answer: "Sandbox answer.",
  });
}

const sessions = () => hub.database.db.select().from(webSessions);

describe("form tokens", () => {
  it("the local sign-in refuses a POST without this browser's own token", async () => {
    await sandboxHub();
    const victim = browser(hub);
    const bare = await victim.post("/sign-in/local?next=/");
    expect(bare.status).toBe(403);
    expect(await bare.json()).toMatchObject({ error: { code: "forbidden" } });

    // A token the attacker got from their own visit does not go with the victim's cookie.
    const attacker = browser(hub);
    const stolen = hiddenFields(await (await attacker.get("/sign-in")).text());
    expect(Object.keys(stolen)).toEqual(["form_token"]);
    await victim.get("/sign-in");
    expect((await victim.post("/sign-in/local", stolen)).status).toBe(403);
    expect((await victim.post("/sign-in/local", { form_token: "0".repeat(64) })).status).toBe(403);
    expect((await victim.post("/sign-in/local", { form_token: "" })).status).toBe(403);
    expect(await sessions()).toEqual([]);

    // A person posting from an expired page gets a page, not JSON.
    const page = await hub.request("/sign-in/local", {
      method: "POST",
      headers: { accept: "text/html", "content-type": "application/x-www-form-urlencoded" },
      body: "form_token=stale",
    });
    expect(page.status).toBe(403);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain("Form expired");

    const signedIn = await victim.submit("/sign-in", "/sign-in/local?next=/");
    expect(signedIn.status).toBe(302);
    expect(await sessions()).toHaveLength(1);
  });

  it("sign-out needs the token from the hub's own page", async () => {
    const task = await sandboxHub();
    const b = browser(hub);
    await b.submit("/sign-in", "/sign-in/local");
    const forged = await b.post("/sign-out");
    expect(forged.status).toBe(403);
    expect((await b.get(`/tasks/${task}`)).status).toBe(200);

    const out = await b.submit(`/tasks/${task}`, "/sign-out");
    expect(out.status).toBe(302);
    expect((await b.get(`/tasks/${task}`)).status).toBe(302);
    expect((await sessions())[0]!.revokedAt).not.toBeNull();
  });
});
