import { LOCAL_OWNER_EMAIL, LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { sessionCookieFor } from "../../helpers/sign-in";
import type { World } from "../../helpers/world";
import { type Browser, browser } from "../browser";

// The three kinds of people the console serves, in the seeded local workspace: its owner, a Codex Admin
// (a member of a group whose role grants `codex_admin`) and a plain member. Each gets a browser that is
// already signed in, so a test reads and submits pages as that person would.

export interface ConsolePeople {
  owner: Browser;
  admin: Browser;
  member: Browser;
  /** Signed in with the bootstrap admin API key through the sign-in page's form. */
  key: Browser;
  /** Ids of the seeded people. */
  ids: { adminId: string; memberId: string; adminRoleId: string; adminGroupId: string };
}

async function api(hub: World, method: string, path: string, body: unknown) {
  const res = await hub.request(`/api/v1/workspaces/${LOCAL_WORKSPACE_ID}${path}`, {
    method,
    headers: { ...hub.adminHeaders, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

async function signedIn(hub: World, email: string): Promise<Browser> {
  const b = browser(hub);
  const cookie = await sessionCookieFor(hub.deps, { provider: "slack", subject: email });
  const eq = cookie.indexOf("=");
  b.jar.set(cookie.slice(0, eq), cookie.slice(eq + 1));
  return b;
}

/** Seeds the Codex Admin and the member, and signs all three in. */
export async function consolePeople(hub: World): Promise<ConsolePeople> {
  await hub.ready;
  const adminMember = await api(hub, "POST", "/members", { email: "ada@example.com", displayName: "Ada" });
  const plainMember = await api(hub, "POST", "/members", { email: "max@example.com", displayName: "Max" });
  const role = await api(hub, "POST", "/roles", { name: "Codex Admins", permissions: ["codex_admin"] });
  const group = await api(hub, "POST", "/groups", { name: "Platform", memberIds: [adminMember.id] });
  await api(hub, "PUT", `/roles/${role.id}/groups/${group.id}`, {});
  const key = browser(hub);
  const res = await key.post("/sign-in/key", {
    ...(await key.formFields("/sign-in")),
    key: hub.secrets.adminToken,
  });
  if (res.status !== 302) throw new Error(`key sign-in answered ${res.status}`);
  return {
    owner: await signedIn(hub, LOCAL_OWNER_EMAIL),
    admin: await signedIn(hub, "ada@example.com"),
    member: await signedIn(hub, "max@example.com"),
    key,
    ids: { adminId: adminMember.id, memberId: plainMember.id, adminRoleId: role.id, adminGroupId: group.id },
  };
}
