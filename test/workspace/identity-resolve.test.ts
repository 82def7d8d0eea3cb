import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decide } from "../../src/access/decide";
import { resolveMember } from "../../src/workspace/identity-resolve";
import { getSnapshot } from "../../src/workspace/snapshot";
import { LOCAL_WORKSPACE_ID } from "../../src/workspace/workspaces";
import { adminClient } from "../admin/helpers";
import { createWorld, type World } from "../helpers/world";

// Slack and Linear users are matched by the email their own API reports (asked once, then linked); a GitHub
// login only ever through a link. The platforms are msw fakes at the configured base URLs.

const SLACK = "https://slack.test/api/";
const LINEAR = "http://localhost:4012/graphql";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

const ws = LOCAL_WORKSPACE_ID;
let hub: World;
let ada: { id: string };
let slackCalls: { user: string | null; auth: string | null }[];
let emails: Record<string, string | undefined>;

beforeEach(async () => {
  slackCalls = [];
  emails = { U0ADA: "Ada@Acme.test", U0STRANGER: "stranger@elsewhere.test", U0NOEMAIL: undefined };
  server.use(
    http.post(`${SLACK}users.info`, async ({ request }) => {
      const user = new URLSearchParams(await request.text()).get("user");
      slackCalls.push({ user, auth: request.headers.get("authorization") });
      if (!user || !(user in emails)) return HttpResponse.json({ ok: false, error: "user_not_found" });
      const email = emails[user];
      return HttpResponse.json({
        ok: true,
        user: { id: user, deleted: false, is_bot: false, profile: email ? { email } : {} },
      });
    }),
  );
  hub = createWorld({
    env: {
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_API_URL: SLACK,
      LINEAR_API_KEY: "lin_api_test",
      LINEAR_API_URL: LINEAR,
    },
  });
  await hub.ready;
  ada = await adminClient(hub).ok("POST", `/workspaces/${ws}/members`, { email: "ada@acme.test" });
});
afterEach(() => {
  server.resetHandlers();
  hub.close();
});

describe("resolveMember", () => {
  it("links a Slack user by the email users.info reports, and asks Slack only once", async () => {
    expect(await resolveMember(hub.deps, ws, { platform: "slack", userId: "U0ADA" })).toEqual({
      memberId: ada.id,
    });
    expect(await resolveMember(hub.deps, ws, { platform: "slack", userId: "U0ADA" })).toEqual({
      memberId: ada.id,
    });
    expect(slackCalls).toEqual([{ user: "U0ADA", auth: "Bearer xoxb-test" }]);

    const member = await adminClient(hub).ok("GET", `/workspaces/${ws}/members/${ada.id}`);
    expect(member.identities).toEqual([
      { platform: "slack", externalId: "U0ADA", display: "U0ADA", source: "email" },
    ]);
    // The snapshot knows the link at once: a decision by platform id finds the member.
    const decision = decide(
      {
        actor: { memberId: null, platform: "slack", platformUserId: "U0ADA" },
        surface: "slack",
        action: "settings.read",
      },
      await getSnapshot(hub.deps, ws),
    );
    expect(decision.trace[0]).toMatchObject({ check: "actor", outcome: "pass" });
  });

  it("leaves unknown actors unresolved: no member with that email, no such user, or no email reported", async () => {
    for (const userId of ["U0STRANGER", "U0GHOST", "U0NOEMAIL"]) {
      const resolved = await resolveMember(hub.deps, ws, { platform: "slack", userId });
      expect(resolved.memberId, userId).toBeNull();
      expect(resolved.reason, userId).toBeTruthy();
    }
    expect((await resolveMember(hub.deps, ws, { platform: "slack", userId: "U0NOEMAIL" })).reason).toContain(
      "users:read.email",
    );
    const member = await adminClient(hub).ok("GET", `/workspaces/${ws}/members/${ada.id}`);
    expect(member.identities).toEqual([]);
  });

  it("resolves a GitHub login only through a link, never by asking anyone", async () => {
    // onUnhandledRequest: "error" — any outbound request here would fail the test.
    expect(
      (await resolveMember(hub.deps, ws, { platform: "github", userId: "583231", login: "ada" })).memberId,
    ).toBeNull();
    await adminClient(hub).ok("PUT", `/workspaces/${ws}/members/${ada.id}/identities/github`, {
      id: "Ada-GH",
    });
    expect(
      await resolveMember(hub.deps, ws, { platform: "github", userId: "583231", login: "ADA-gh" }),
    ).toEqual({ memberId: ada.id });
    expect(slackCalls).toEqual([]);
  });

  it("links a Linear user by the email the Linear API reports", async () => {
    const queries: unknown[] = [];
    server.use(
      http.post(LINEAR, async ({ request }) => {
        const body = (await request.json()) as { variables: { id: string } };
        queries.push(body.variables);
        return HttpResponse.json({
          data: {
            user: {
              id: body.variables.id,
              name: "Ada",
              displayName: "ada",
              email: "ADA@acme.test",
              active: true,
            },
          },
        });
      }),
    );
    expect(await resolveMember(hub.deps, ws, { platform: "linear", userId: "lin-ada" })).toEqual({
      memberId: ada.id,
    });
    expect(await resolveMember(hub.deps, ws, { platform: "linear", userId: "lin-ada" })).toEqual({
      memberId: ada.id,
    });
    expect(queries).toEqual([{ id: "lin-ada" }]);
  });
});

describe("resolveMember in sandbox mode", () => {
  it("answers users.info from the sandbox: the demo's Slack user is the workspace owner", async () => {
    const sandbox = createWorld();
    await sandbox.ready;
    // Drop the seeded link so the sandbox's users.info answer has to make it again.
    await adminClient(sandbox).ok("DELETE", `/workspaces/${ws}/members/mem_local_owner/identities/slack`);
    expect((await resolveMember(sandbox.deps, ws, { platform: "slack", userId: "U0ADMIN" })).memberId).toBe(
      "mem_local_owner",
    );
    const owner = await adminClient(sandbox).ok("GET", `/workspaces/${ws}/members/mem_local_owner`);
    expect(owner.identities).toContainEqual(
      expect.objectContaining({ platform: "slack", externalId: "U0ADMIN", source: "email" }),
    );
    expect(
      (await resolveMember(sandbox.deps, ws, { platform: "slack", userId: "U0SOMEONE" })).memberId,
    ).toBeNull();
    expect(
      (await resolveMember(sandbox.deps, ws, { platform: "github", userId: "1", login: "codertocat" }))
        .memberId,
    ).toBe("mem_local_owner");
    sandbox.close();
  });
});
