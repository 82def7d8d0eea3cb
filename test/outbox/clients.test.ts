import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createGitHubRestClient, type GitHubPermissions } from "../../src/clients/github/rest";
import { createLinearClient } from "../../src/clients/linear/client";
import { OutboundError } from "../../src/clients/types";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

async function failure(promise: Promise<unknown>): Promise<OutboundError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OutboundError);
    return error as OutboundError;
  }
  throw new Error("expected the call to fail");
}

describe("Linear client", () => {
  const LINEAR = "http://localhost:4011/graphql";
  const linear = () => createLinearClient({ apiKey: "lin_api_test", apiUrl: LINEAR, timeoutMs: 200 });
  const activity = {
    platform: "linear" as const,
    operation: "agentActivityCreate",
    args: { agentSessionId: "ses_1", content: { type: "response", body: "Done." } },
  };

  it("creates an agent activity with the API key and returns plain data", async () => {
    const seen: { auth: string | null; variables: unknown }[] = [];
    server.use(
      http.post(LINEAR, async ({ request }) => {
        const body = (await request.json()) as { variables: unknown };
        seen.push({ auth: request.headers.get("authorization"), variables: body.variables });
        return HttpResponse.json({
          data: { agentActivityCreate: { success: true, lastSyncId: 3, agentActivity: { id: "act_1" } } },
        });
      }),
    );
    expect(await linear().send(activity)).toEqual({ success: true, id: "act_1" });
    expect(seen).toEqual([{ auth: "lin_api_test", variables: { input: activity.args } }]);
  });

  it("maps Ratelimited to a retry after Linear's Retry-After, and other refusals to no retry", async () => {
    server.use(
      http.post(LINEAR, () =>
        HttpResponse.json(
          {
            errors: [
              { message: "Rate limit exceeded", extensions: { type: "ratelimited", code: "RATELIMITED" } },
            ],
          },
          { status: 400, headers: { "retry-after": "42" } },
        ),
      ),
    );
    const limited = await failure(linear().send(activity));
    expect(limited).toMatchObject({ retryable: true, retryAfterMs: 42_000 });

    server.use(
      http.post(LINEAR, () =>
        HttpResponse.json(
          { errors: [{ message: "Agent session not found", extensions: { type: "invalid input" } }] },
          { status: 400 },
        ),
      ),
    );
    const invalid = await failure(linear().send(activity));
    expect(invalid.retryable).toBe(false);
    expect(invalid.message).toContain("Agent session not found");
  });

  it("reads Retry-After from a plain 429 too", async () => {
    server.use(
      http.post(LINEAR, () =>
        HttpResponse.json(
          { errors: [{ message: "slow down" }] },
          { status: 429, headers: { "retry-after": "5" } },
        ),
      ),
    );
    expect(await failure(linear().send(activity))).toMatchObject({ retryable: true, retryAfterMs: 5000 });
  });

  it("retries 5xx, dropped connections and timeouts", async () => {
    server.use(http.post(LINEAR, () => new HttpResponse("bad gateway", { status: 502 })));
    expect(await failure(linear().send(activity))).toMatchObject({ retryable: true });
    server.use(http.post(LINEAR, () => HttpResponse.error()));
    expect(await failure(linear().send(activity))).toMatchObject({ retryable: true });
    server.use(
      http.post(LINEAR, async () => {
        await new Promise((r) => setTimeout(r, 1000));
        return HttpResponse.json({ data: {} });
      }),
    );
    const slow = await failure(linear().send(activity));
    expect(slow).toMatchObject({ retryable: true });
    expect(slow.message).toContain("no answer within 200 ms");
  });

  it("refuses an operation it does not know, without a retry", async () => {
    const unknown = await failure(linear().send({ platform: "linear", operation: "issueDelete", args: {} }));
    expect(unknown.retryable).toBe(false);
  });
});

describe("GitHub REST client", () => {
  const API = "http://github.test/api/v3";
  const route = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";
  const now = Date.UTC(2026, 0, 1);
  const tokens: { installationId: number; repository: string; permissions: GitHubPermissions }[] = [];
  const github = (timeoutMs?: number) =>
    createGitHubRestClient({
      apiUrl: API,
      now: () => now,
      ...(timeoutMs ? { timeoutMs } : {}),
      tokenFor: async (installationId, repository, permissions) => {
        tokens.push({ installationId, repository, permissions });
        return "ghs_narrow";
      },
    });
  const comment = {
    platform: "github" as const,
    operation: route,
    args: { installationId: 7, repository: "acme/api", issue_number: 12, body: "Looks good." },
  };

  it("posts with a token narrowed to the repository and the route's permission", async () => {
    tokens.length = 0;
    const seen: { url: string; auth: string | null; body: unknown }[] = [];
    server.use(
      http.post(`${API}/repos/:owner/:repo/issues/:n/comments`, async ({ request }) => {
        seen.push({
          url: request.url,
          auth: request.headers.get("authorization"),
          body: await request.json(),
        });
        return HttpResponse.json(
          { id: 99, html_url: "https://github.test/acme/api/pull/12#issuecomment-99" },
          { status: 201 },
        );
      }),
    );
    expect(await github().send(comment)).toMatchObject({ status: 201, data: { id: 99 } });
    expect(tokens).toEqual([{ installationId: 7, repository: "acme/api", permissions: { issues: "write" } }]);
    expect(seen).toEqual([
      {
        url: `${API}/repos/acme/api/issues/12/comments`,
        auth: "token ghs_narrow",
        body: { body: "Looks good." },
      },
    ]);
  });

  it("gives up on a call GitHub does not answer in time, to be retried", async () => {
    server.use(http.post(`${API}/repos/:owner/:repo/issues/:n/comments`, () => delay("infinite")));
    const started = performance.now();
    const slow = await failure(github(200).send(comment));
    expect(slow).toMatchObject({ retryable: true });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("honours retry-after and x-ratelimit-reset, retries 5xx, and does not retry a 422", async () => {
    const reply = (status: number, headers: Record<string, string> = {}) =>
      server.use(
        http.post(`${API}/repos/:owner/:repo/issues/:n/comments`, () =>
          HttpResponse.json({ message: `status ${status}` }, { status, headers }),
        ),
      );
    reply(403, { "retry-after": "60" });
    expect(await failure(github().send(comment))).toMatchObject({ retryable: true, retryAfterMs: 60_000 });
    reply(429, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 90) });
    expect(await failure(github().send(comment))).toMatchObject({ retryable: true, retryAfterMs: 90_000 });
    reply(502);
    expect(await failure(github().send(comment))).toMatchObject({ retryable: true, retryAfterMs: undefined });
    reply(403);
    expect(await failure(github().send(comment))).toMatchObject({ retryable: false });
    reply(422);
    const invalid = await failure(github().send(comment));
    expect(invalid).toMatchObject({ retryable: false });
    expect(invalid.message).toContain("status 422");
  });
});
