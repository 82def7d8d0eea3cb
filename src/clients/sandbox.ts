import { desc } from "drizzle-orm";
import { preparedWrite } from "../db/prepared";
import { sandboxOutbound } from "../db/schema/sandbox";
import type { Database } from "../db/types";
import type { Platform } from "../ingress/events";
import type { Clock } from "../lib/clock";
import { newId } from "../lib/ids";
import { OutboundError, type OutboundRequest, type PlatformClient } from "./types";

/**
 * Stands in for a platform when the hub has no credentials for it: records what would have been sent
 * and answers like the platform would, so the rest of the pipeline runs unchanged.
 */
export function createSandboxClient(
  platform: Platform,
  database: Database,
  clock: Clock,
  respond: (request: OutboundRequest) => unknown = () => ({ ok: true }),
): PlatformClient {
  return {
    async send(request, options) {
      const record = insertRecord(database, {
        id: newId("sbx"),
        platform,
        operation: request.operation,
        request: JSON.stringify(recorded(request)),
        createdAt: clock.now(),
      });
      if (options?.record) options.record(record);
      else await record;
      return respond(request);
    },
  };
}

const insertRecord = preparedWrite(
  (db, v: { id: string; platform: Platform; operation: string; request: string; createdAt: number }) =>
    db.insert(sandboxOutbound).values({
      id: v.id,
      platform: v.platform,
      operation: v.operation,
      request: v.request,
      createdAt: v.createdAt,
    }),
);

/**
 * What the sandbox page shows of a call: its args, and for GitHub also who makes it (the installation,
 * repository and permissions of its target), as a GitHub call's args carried them before calls had targets.
 */
function recorded(request: OutboundRequest): Record<string, unknown> {
  return request.platform === "github" && request.target
    ? { ...request.target, ...request.args }
    : request.args;
}

export async function listSandboxOutbound(database: Database, limit: number) {
  const rows = await database.db
    .select()
    .from(sandboxOutbound)
    .orderBy(desc(sandboxOutbound.createdAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, request: JSON.parse(r.request) as unknown }));
}

/** Sandbox people: the demo's sample events come from these platform users (see workspace/sandbox-seed.ts). */
const SANDBOX_PEOPLE: Record<string, { email: string; name: string }> = {
  U0ADMIN: { email: "admin@example.com", name: "Sandbox Admin" },
  "lin-user-admin": { email: "admin@example.com", name: "Sandbox Admin" },
};

const personFor = (id: string) =>
  SANDBOX_PEOPLE[id] ?? { email: `${id.toLowerCase()}@sandbox.example.com`, name: `Sandbox user ${id}` };

/**
 * Slack reads besides `users.info`: a thread's messages (https://api.slack.com/methods/conversations.replies),
 * a channel's details (https://api.slack.com/methods/conversations.info; sandbox channels are never shared
 * with another organization) and `response_url` posts, which Slack answers with `ok`; and the `ts` Slack gives
 * a posted message (https://api.slack.com/methods/chat.postMessage).
 */
function sandboxSlackRead(request: OutboundRequest): unknown {
  const args = request.args as { channel?: unknown; ts?: unknown };
  if (request.operation === "conversations.replies" && typeof args.ts === "string") {
    return {
      ok: true,
      has_more: false,
      messages: [
        {
          type: "message",
          user: "U0ADMIN",
          ts: args.ts,
          text: "(sandbox) The message that started the thread.",
        },
      ],
    };
  }
  if (request.operation === "conversations.info" && typeof args.channel === "string") {
    return {
      ok: true,
      channel: {
        id: args.channel,
        name: "sandbox",
        is_channel: true,
        is_shared: false,
        is_ext_shared: false,
      },
    };
  }
  if (request.operation === "response_url") return { ok: true, answer: "ok" };
  // A posted message's ts, so the hub can edit it (chat.update) as it does on Slack.
  if (request.operation === "chat.postMessage" && typeof args.channel === "string") {
    const [n = 0] = crypto.getRandomValues(new Uint32Array(1));
    return { ok: true, channel: args.channel, ts: `1700000000.${String(n % 1_000_000).padStart(6, "0")}` };
  }
  return undefined;
}

/** The Linear user the sandbox hub acts as: the demo delegates issues to it (scripts/samples). */
export const SANDBOX_LINEAR_APP_USER = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";

/**
 * Linear reads besides `user` (src/clients/linear.ts): the app's own user (`viewer`), an issue (not started yet,
 * no labels: the environment comes from the team default or the only one there is) and a team's workflow states.
 */
const SANDBOX_SESSION_ISSUE_ID = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";

function sandboxLinearRead(request: OutboundRequest): unknown {
  const args = request.args as { id?: unknown; teamId?: unknown };
  if (request.operation === "viewer") {
    return {
      id: SANDBOX_LINEAR_APP_USER,
      name: "Codex",
      organization: { id: "org-sandbox", name: "Sandbox", urlKey: "sandbox" },
    };
  }
  if (request.operation === "issue" && typeof args.id === "string") {
    // The demo's agent session is about ENG-123 (scripts/samples); anything else reads as the delegated ENG-124.
    const sample =
      args.id === SANDBOX_SESSION_ISSUE_ID
        ? {
            identifier: "ENG-123",
            title: "Fix flaky login test",
            description: "The login e2e test fails about one run in five on CI.",
          }
        : {
            identifier: "ENG-124",
            title: "Add a README section on running the tests",
            description: "Explain `npm test`.",
          };
    return {
      id: args.id,
      ...sample,
      url: `https://linear.app/sandbox/issue/${args.id}`,
      teamId: "team-sandbox",
      teamKey: "ENG",
      stateId: "state-todo",
      stateType: "unstarted",
      labels: [],
    };
  }
  if (request.operation === "teamStates" && typeof args.teamId === "string") {
    return {
      states: [
        { id: "state-todo", name: "Todo", type: "unstarted", position: 1 },
        { id: "state-review", name: "In Review", type: "started", position: 3 },
        { id: "state-progress", name: "In Progress", type: "started", position: 2 },
        { id: "state-done", name: "Done", type: "completed", position: 4 },
      ],
    };
  }
  return undefined;
}

/** The sample pull request's changes: a README edit and a new file that leaves debug output behind. */
const SANDBOX_PR_FILES = [
  {
    filename: "README.md",
    status: "modified",
    additions: 3,
    deletions: 1,
    patch:
      "@@ -1,2 +1,4 @@\n # Hello-World\n-My first repository on GitHub!\n+My first repository on GitHub, now with more information.\n+\n+Run `node hello.js` to try it.",
  },
  {
    filename: "hello.js",
    status: "added",
    additions: 4,
    deletions: 0,
    patch:
      '@@ -0,0 +1,4 @@\n+function greet(name) {\n+  console.log("debug:", name);\n+  return "Hello, " + name;\n+}',
  },
];

const SANDBOX_AGENTS_MD =
  "# Hello-World\n\n## Code Review Rules\n\n- Debug output (`console.log`, `debugger`) must not be merged: flag it as P1.\n- README examples must stay runnable.\n";

/**
 * GitHub reads of the review flow, answered as the REST client does (`{ status, data }`): a pull request, its
 * files (https://docs.github.com/en/rest/pulls/pulls#list-pull-requests-files), the root AGENTS.md (every
 * other path is a 404), a collaborator's permission, review comments and reactions (none yet). Writes get
 * an id, as GitHub's answers carry one.
 */
function sandboxGitHubRead(request: OutboundRequest): unknown {
  const args = request.args as {
    pull_number?: unknown;
    path?: unknown;
    page?: unknown;
    repository?: unknown;
  };
  const op = request.operation;
  if (op === "GET /repos/{owner}/{repo}/pulls/{pull_number}") {
    const target = request.platform === "github" ? request.target : undefined;
    const repository = String(target?.repository ?? args.repository ?? "Codertocat/Hello-World");
    return {
      status: 200,
      data: {
        number: Number(args.pull_number),
        title: "(sandbox) Update the README with new information.",
        state: "open",
        draft: false,
        html_url: `https://github.com/${repository}/pull/${String(args.pull_number)}`,
        user: { login: "Codertocat", type: "User" },
        labels: [],
        head: {
          sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
          ref: "changes",
          repo: { full_name: repository },
        },
        base: { sha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e", ref: "master" },
      },
    };
  }
  if (op === "GET /repos/{owner}/{repo}/pulls/{pull_number}/files") {
    return { status: 200, data: Number(args.page ?? 1) > 1 ? [] : SANDBOX_PR_FILES };
  }
  if (op === "GET /repos/{owner}/{repo}/contents/{path}") {
    if (args.path !== "AGENTS.md") throw new OutboundError("github: HTTP 404: Not Found", false);
    return { status: 200, data: { type: "file", encoding: "base64", content: btoa(SANDBOX_AGENTS_MD) } };
  }
  if (op === "GET /repos/{owner}/{repo}/collaborators/{username}/permission") {
    return { status: 200, data: { permission: "admin", role_name: "admin" } };
  }
  if (op.startsWith("GET /repos/{owner}/{repo}/pulls/") && /(comments|reactions)$/.test(op)) {
    return { status: 200, data: [] };
  }
  if (op.startsWith("POST /repos/{owner}/{repo}/")) {
    return { status: 201, data: { id: crypto.getRandomValues(new Uint32Array(1))[0] } };
  }
  return undefined;
}

/**
 * Plausible answers to the reads the hub makes, so identity linking works offline: Slack `users.info`
 * (https://api.slack.com/methods/users.info) and the Linear `user` query, and the other reads above. Every
 * other call gets `{ ok: true }`.
 */
export function sandboxRespond(platform: Platform): (request: OutboundRequest) => unknown {
  return (request) => {
    const args = request.args as { user?: unknown; id?: unknown };
    if (platform === "slack" && request.operation === "users.info" && typeof args.user === "string") {
      const person = personFor(args.user);
      return {
        ok: true,
        user: {
          id: args.user,
          name: person.name,
          deleted: false,
          is_bot: false,
          profile: { email: person.email, real_name: person.name },
        },
      };
    }
    if (platform === "slack") {
      const slack = sandboxSlackRead(request);
      if (slack) return slack;
    }
    if (platform === "linear" && request.operation === "user" && typeof args.id === "string") {
      const person = personFor(args.id);
      return { id: args.id, name: person.name, displayName: person.name, email: person.email, active: true };
    }
    if (platform === "linear") {
      const linear = sandboxLinearRead(request);
      if (linear) return linear;
    }
    if (platform === "github") {
      const github = sandboxGitHubRead(request);
      if (github) return github;
    }
    return { ok: true };
  };
}
