import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectGitHubUrl } from "../../src/workspace/github-connect";
import { resolveMember } from "../../src/workspace/identity-resolve";
import { LOCAL_WORKSPACE_ID } from "../../src/workspace/workspaces";
import { adminClient } from "../admin/helpers";
import { createWorld, type World } from "../helpers/world";

// A member connects their own GitHub account through the signed link the hub hands out; GitHub's OAuth web
// flow (authorize → callback → code exchange → GET /user) decides which login is linked.

const WEB = "https://github.test";
const API = "https://github.test/api/v3";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

const ws = LOCAL_WORKSPACE_ID;
let hub: World;
let ada: { id: string };
let exchanges: Record<string, unknown>[];

beforeEach(async () => {
  exchanges = [];
  server.use(
    http.post(`${WEB}/login/oauth/access_token`, async ({ request }) => {
      const body = (await request.json()) as Record<string, unknown>;
      exchanges.push(body);
      return HttpResponse.json(
        body.code === "good-code"
          ? { access_token: "gho_ada", token_type: "bearer" }
          : { error: "bad_verification_code" },
      );
    }),
    http.get(`${API}/user`, ({ request }) =>
      request.headers.get("authorization") === "Bearer gho_ada"
        ? HttpResponse.json({ login: "Ada-GH", id: 42 })
        : HttpResponse.json({ message: "Bad credentials" }, { status: 401 }),
    ),
  );
  hub = createWorld({
    env: {
      SLACK_BOT_TOKEN: "xoxb-test",
      GITHUB_API_URL: API,
      GITHUB_CLIENT_ID: "Iv1.client",
      GITHUB_CLIENT_SECRET: "client-secret",
    },
  });
  await hub.ready;
  ada = await adminClient(hub).ok("POST", `/workspaces/${ws}/members`, { email: "ada@acme.test" });
});
afterEach(() => {
  server.resetHandlers();
  hub.close();
});

async function start(link: string) {
  const res = await hub.request(link.replace("http://hub.test", ""), { redirect: "manual" });
  const location = res.headers.get("location") ?? "";
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  return { res, location: location ? new URL(location) : null, cookie };
}

describe("/connect/github", () => {
  it("sends the member to GitHub and links the login GitHub confirms", async () => {
    const { res, location, cookie } = await start(await connectGitHubUrl(hub.deps, ada.id));
    expect(res.status).toBe(302);
    expect(location?.origin + location!.pathname).toBe(`${WEB}/login/oauth/authorize`);
    expect(location?.searchParams.get("client_id")).toBe("Iv1.client");
    expect(location?.searchParams.get("redirect_uri")).toBe("http://hub.test/connect/github/callback");
    const state = location!.searchParams.get("state")!;

    const done = await hub.request(
      `/connect/github/callback?code=good-code&state=${encodeURIComponent(state)}`,
      {
        headers: { cookie },
      },
    );
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("@Ada-GH");
    expect(exchanges).toEqual([
      expect.objectContaining({ client_id: "Iv1.client", client_secret: "client-secret", code: "good-code" }),
    ]);
    expect(await resolveMember(hub.deps, ws, { platform: "github", userId: "42", login: "ada-gh" })).toEqual({
      memberId: ada.id,
    });
  });

  it("refuses tampered or expired links and callbacks from another browser", async () => {
    const link = await connectGitHubUrl(hub.deps, ada.id);
    const tampered = link.replace(`member=${ada.id}`, "member=mem_local_owner");
    expect((await start(tampered)).res.status).toBe(400);

    const { location } = await start(link);
    const state = encodeURIComponent(location!.searchParams.get("state")!);
    // No nonce cookie: the flow was not started in this browser.
    expect((await hub.request(`/connect/github/callback?code=good-code&state=${state}`)).status).toBe(400);
    expect(exchanges).toEqual([]);

    hub.clock.advance(2 * 60 * 60_000);
    expect((await start(link)).res.status).toBe(400);
    expect(
      (await resolveMember(hub.deps, ws, { platform: "github", userId: "42", login: "ada-gh" })).memberId,
    ).toBeNull();
  });

  it("links nothing when GitHub refuses the code", async () => {
    const { location, cookie } = await start(await connectGitHubUrl(hub.deps, ada.id));
    const state = encodeURIComponent(location!.searchParams.get("state")!);
    const res = await hub.request(`/connect/github/callback?code=stale&state=${state}`, {
      headers: { cookie },
    });
    expect(res.status).toBe(400);
    expect((await adminClient(hub).ok("GET", `/workspaces/${ws}/members/${ada.id}`)).identities).toEqual([]);
  });

  it("links at once in sandbox mode, without GitHub", async () => {
    const sandbox = createWorld();
    await sandbox.ready;
    const grace = await adminClient(sandbox).ok("POST", `/workspaces/${ws}/members`, {
      email: "grace@acme.test",
    });
    const link = (await connectGitHubUrl(sandbox.deps, grace.id)).replace("http://hub.test", "");
    const res = await sandbox.request(`${link}&login=grace-gh`);
    expect(res.status).toBe(200);
    expect(
      (await resolveMember(sandbox.deps, ws, { platform: "github", userId: "7", login: "Grace-GH" }))
        .memberId,
    ).toBe(grace.id);
    sandbox.close();
  });
});
