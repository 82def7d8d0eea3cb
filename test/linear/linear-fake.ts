import { HttpResponse, http } from "msw";
import type { Json } from "../ingress/deliveries";

// Linear's GraphQL API as the hub's real Linear client meets it (msw), with the ids of the fixtures in
// test/fixtures/linear; every call is recorded in arrival order.

export const LINEAR_API = "http://localhost:4012/graphql";
export const ORG = "8f2c4b1e-3a5d-4c6e-9f70-1a2b3c4d5e6f";
export const APP_USER = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
export const TEAM = "7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908";
export const ISSUE = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
export const SESSION = "6c5b4a39-2817-4f6e-9d5c-4b3a29180716";
/** Linear users of the fixtures: Ada creates sessions and delegates, Grace comments and prompts. */
export const ADA = "f0e1d2c3-b4a5-4968-8776-655443322110";
export const GRACE = "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9";

/** One GraphQL call Linear received: its operation name and variables. */
export interface LinearCallSeen {
  op: string;
  variables: Json;
  auth: string | null;
}

export function linearFake() {
  const calls: LinearCallSeen[] = [];
  /** Linear user id → email the `user` query reports. */
  const emails: Record<string, string> = { [ADA]: "ada@acme.example", [GRACE]: "grace@acme.example" };
  const issue: Json = {
    id: ISSUE,
    identifier: "ENG-123",
    title: "Fix flaky login test",
    description: "The login e2e test fails about one run in five on CI.",
    url: "https://linear.app/acme/issue/ENG-123/fix-flaky-login-test",
    team: { id: TEAM, key: "ENG", name: "Engineering" },
    state: { id: "st_todo", name: "Todo", type: "unstarted" },
    labels: { nodes: [] },
  };
  const states = [
    { id: "st_todo", name: "Todo", type: "unstarted", position: 1 },
    { id: "st_review", name: "In Review", type: "started", position: 3 },
    { id: "st_progress", name: "In Progress", type: "started", position: 2 },
    { id: "st_done", name: "Done", type: "completed", position: 4 },
  ];
  return {
    env: { LINEAR_API_KEY: "lin_api_test", LINEAR_API_URL: LINEAR_API },
    calls,
    emails,
    issue,
    states,
    handlers: [
      http.post(LINEAR_API, async ({ request }) => {
        const body = (await request.json()) as { query: string; variables?: Json };
        const op = /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "unknown";
        const variables = body.variables ?? {};
        calls.push({ op, variables, auth: request.headers.get("authorization") });
        const ok = (key: string, entity: string, id: unknown) =>
          HttpResponse.json({ data: { [key]: { success: true, lastSyncId: 1, [entity]: { id } } } });
        switch (op) {
          case "createAgentActivity":
            return ok("agentActivityCreate", "agentActivity", variables.input?.id ?? "act_generated");
          case "createComment":
            return ok("commentCreate", "comment", variables.input?.id ?? "cmt_generated");
          case "updateAgentSession":
            return ok("agentSessionUpdate", "agentSession", variables.id);
          case "updateIssue":
            return ok("issueUpdate", "issue", variables.id);
          case "user": {
            const email = emails[variables.id] ?? `${variables.id}@elsewhere.example`;
            return HttpResponse.json({
              data: { user: { id: variables.id, name: email, displayName: email, email, active: true } },
            });
          }
          case "codexIssue":
            return HttpResponse.json({ data: { issue: { ...issue, id: variables.id } } });
          case "codexTeamStates":
            return HttpResponse.json({ data: { team: { states: { nodes: states } } } });
          case "codexViewer":
            return HttpResponse.json({
              data: { viewer: { id: APP_USER, name: "Codex" }, organization: { id: ORG, name: "Acme" } },
            });
          default:
            return HttpResponse.json({ errors: [{ message: `unexpected ${op}` }] }, { status: 400 });
        }
      }),
    ],
    /** Agent activities Linear received, in order. */
    activities: () =>
      calls
        .filter((c) => c.op === "createAgentActivity")
        .map((c) => c.variables.input as { id: string; agentSessionId: string; content: Json }),
    /** Comments Linear received, in order. */
    comments: () => calls.filter((c) => c.op === "createComment").map((c) => c.variables.input as Json),
  };
}

export type LinearFake = ReturnType<typeof linearFake>;
