import { generateKeyPairSync } from "node:crypto";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OutboundError } from "../../src/clients/types";
import { repoPermission } from "../../src/workspace/repo-permission";
import { createWorld, type World } from "../helpers/world";

// GitHub decides repository access: GET /repos/{o}/{r}/collaborators/{login}/permission with an installation
// token narrowed to that repository and metadata:read, reused for at most 60 seconds.

const API = "https://github.test/api/v3";
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

let hub: World;
let tokenRequests: { body: unknown; auth: string | null }[];
let permissionRequests: { login: string; auth: string | null }[];

beforeEach(() => {
  tokenRequests = [];
  permissionRequests = [];
  server.use(
    http.post(`${API}/app/installations/77/access_tokens`, async ({ request }) => {
      tokenRequests.push({ body: await request.json(), auth: request.headers.get("authorization") });
      return HttpResponse.json(
        {
          token: `ghs_token${tokenRequests.length}`,
          expires_at: new Date(Date.now() + 60 * 60_000).toISOString(),
          permissions: { metadata: "read" },
          repository_selection: "selected",
          repositories: [{ id: 1296269, name: "widgets", full_name: "acme/widgets" }],
        },
        { status: 201 },
      );
    }),
    http.get(`${API}/repos/acme/widgets/collaborators/:login/permission`, ({ request, params }) => {
      const login = String(params.login);
      permissionRequests.push({ login, auth: request.headers.get("authorization") });
      if (login === "ada-gh")
        return HttpResponse.json({ permission: "write", role_name: "maintain", user: { login } });
      if (login === "flaky") return HttpResponse.json({ message: "Server Error" }, { status: 502 });
      return HttpResponse.json({ message: "Not Found" }, { status: 404 });
    }),
  );
  hub = createWorld({ env: { GITHUB_APP_ID: "123", GITHUB_PRIVATE_KEY: privateKey, GITHUB_API_URL: API } });
});
afterEach(() => {
  server.resetHandlers();
  hub.close();
});

const ask = (login: string) =>
  repoPermission(hub.deps, { installationId: 77, repository: "acme/widgets", login });

describe("repoPermission", () => {
  it("asks GitHub with a token narrowed to the repository and metadata:read", async () => {
    expect(await ask("ada-gh")).toBe("maintain");
    expect(tokenRequests).toEqual([
      {
        body: { repositories: ["widgets"], permissions: { metadata: "read" } },
        auth: expect.stringMatching(/^bearer /),
      },
    ]);
    expect(permissionRequests).toEqual([{ login: "ada-gh", auth: "token ghs_token1" }]);
  });

  it("reuses an answer for 60 seconds, then asks again (with the still-valid token)", async () => {
    expect(await ask("ada-gh")).toBe("maintain");
    hub.clock.advance(59_000);
    expect(await ask("Ada-GH")).toBe("maintain");
    expect(permissionRequests).toHaveLength(1);
    hub.clock.advance(2_000);
    expect(await ask("ada-gh")).toBe("maintain");
    expect(permissionRequests).toHaveLength(2);
    expect(tokenRequests).toHaveLength(1);
  });

  it("keeps answers per hub: a second hub in the same process asks GitHub itself", async () => {
    const other = createWorld({
      env: { GITHUB_APP_ID: "123", GITHUB_PRIVATE_KEY: privateKey, GITHUB_API_URL: API },
    });
    try {
      expect(await ask("ada-gh")).toBe("maintain");
      expect(
        await repoPermission(other.deps, { installationId: 77, repository: "acme/widgets", login: "ada-gh" }),
      ).toBe("maintain");
      expect(permissionRequests).toHaveLength(2);
      expect(await ask("ada-gh")).toBe("maintain");
      expect(permissionRequests).toHaveLength(2);
    } finally {
      other.close();
    }
  });

  it("treats an unknown user as no access and a GitHub outage as a retryable failure", async () => {
    expect(await ask("stranger")).toBe("none");
    const failure = await ask("flaky").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OutboundError);
    expect((failure as OutboundError).retryable).toBe(true);
  });
});

describe("repoPermission in sandbox mode", () => {
  it("gives the demo's linked members admin and everyone else nothing, without GitHub", async () => {
    const sandbox = createWorld();
    await sandbox.ready;
    const query = { installationId: 1, repository: "Codertocat/Hello-World" };
    expect(await repoPermission(sandbox.deps, { ...query, login: "Codertocat" })).toBe("admin");
    expect(await repoPermission(sandbox.deps, { ...query, login: "someone-else" })).toBe("none");
    expect(await repoPermission(sandbox.deps, { ...query, installationId: 999, login: "Codertocat" })).toBe(
      "none",
    );
    sandbox.close();
  });
});
