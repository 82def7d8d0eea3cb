import type { LinearClient, LinearError, LinearErrorType, RatelimitedLinearError } from "@linear/sdk";
import { OutboundError, type OutboundRequest, type PlatformClient } from "../types";
import type { LinearOperation } from "./calls";

export interface LinearClientOptions {
  /** LINEAR_API_KEY: a personal key for a single organization, and the fallback when no installation matches. */
  apiKey?: string;
  /** LINEAR_API_URL (GraphQL endpoint). */
  apiUrl: string;
  timeoutMs?: number;
  /** The OAuth access token of the organization's app installation (GET /setup/linear), if any. */
  tokenFor?: (organizationId: string) => Promise<string | null | undefined>;
}

/**
 * Before calls carried a `target`, the organization rode in the args under this name; outbox rows stored then
 * still do, and are sent for that organization (and without it in the args) when they are retried.
 */
const LEGACY_ORGANIZATION_ARG = "_organization";

/**
 * The SDK is loaded at the first call to Linear, not when the hub starts: it costs each thread that loads it
 * about 20 MB of memory, and neither the HTTP thread nor a hub that is not connected to Linear ever calls it.
 */
let sdk: typeof import("@linear/sdk") | undefined;
const loadSdk = async () => {
  sdk ??= await import("@linear/sdk");
  return sdk;
};

type Args = Record<string, unknown>;
type Operation = (client: LinearClient, args: Args) => Promise<unknown>;

const str = (args: Args, key: string): string => {
  const value = args[key];
  if (typeof value !== "string" || !value)
    throw new OutboundError(`linear: argument \`${key}\` is required`, false);
  return value;
};
const input = (args: Args) => (args.input ?? {}) as Args;

/** A GraphQL document of our own (fields the SDK's models would fetch one relation per query), SDK errors kept. */
async function raw<T>(client: LinearClient, query: string, variables: Args = {}): Promise<T> {
  try {
    return await client.client.request<T, Args>(query, variables);
  } catch (error) {
    // The client exists, so the SDK is loaded.
    throw sdk!.parseLinearError(error as Parameters<typeof import("@linear/sdk").parseLinearError>[0]);
  }
}

// https://studio.apollographql.com/public/Linear-API/variant/current/schema/reference
const ISSUE_QUERY = `query codexIssue($id: String!) {
  issue(id: $id) {
    id identifier title description url
    team { id key name }
    state { id name type }
    labels { nodes { name } }
  }
}`;
const TEAM_STATES_QUERY = `query codexTeamStates($teamId: String!) {
  team(id: $teamId) { states { nodes { id name type position } } }
}`;
const VIEWER_QUERY = `query codexViewer { viewer { id name } organization { id name urlKey } }`;

interface IssueAnswer {
  issue: {
    id: string;
    identifier: string;
    title: string;
    description?: string | null;
    url: string;
    team?: { id: string; key?: string; name?: string } | null;
    state?: { id: string; name: string; type: string } | null;
    labels?: { nodes: { name: string }[] } | null;
  };
}

/**
 * The calls the hub makes, by operation name. Results are plain data (the SDK's models hold a client and
 * lazy relations, which neither serialize nor belong in the outbox).
 */
const OPERATIONS: Record<LinearOperation, Operation> = {
  async agentActivityCreate(client, args) {
    const payload = await client.createAgentActivity(
      args as unknown as Parameters<LinearClient["createAgentActivity"]>[0],
    );
    return { success: payload.success, id: payload.agentActivityId ?? null };
  },
  async commentCreate(client, args) {
    const payload = await client.createComment(
      args as unknown as Parameters<LinearClient["createComment"]>[0],
    );
    return { success: payload.success, id: payload.commentId ?? null };
  },
  async agentSessionUpdate(client, args) {
    const payload = await client.updateAgentSession(str(args, "id"), input(args));
    return { success: payload.success, id: payload.agentSessionId ?? null };
  },
  async issueUpdate(client, args) {
    const payload = await client.updateIssue(str(args, "id"), input(args));
    return { success: payload.success, id: payload.issueId ?? null };
  },
  async user(client, args) {
    const user = await client.user(str(args, "id"));
    return {
      id: user.id,
      name: user.name,
      displayName: user.displayName,
      email: user.email,
      active: user.active,
    };
  },
  /** The issue with what choosing an environment and moving it need: team, workflow state, labels. */
  async issue(client, args) {
    const { issue } = await raw<IssueAnswer>(client, ISSUE_QUERY, { id: str(args, "id") });
    return {
      id: issue.id,
      identifier: issue.identifier,
      title: issue.title,
      description: issue.description ?? null,
      url: issue.url,
      teamId: issue.team?.id ?? null,
      teamKey: issue.team?.key ?? null,
      stateId: issue.state?.id ?? null,
      stateType: issue.state?.type ?? null,
      labels: (issue.labels?.nodes ?? []).map((l) => l.name),
    };
  },
  /** A team's workflow states, e.g. to move a delegated issue to the first `started` one. */
  async teamStates(client, args) {
    const answer = await raw<{
      team: { states: { nodes: { id: string; name: string; type: string; position: number }[] } };
    }>(client, TEAM_STATES_QUERY, { teamId: str(args, "teamId") });
    return {
      states: answer.team.states.nodes.map((s) => ({
        id: s.id,
        name: s.name,
        type: s.type,
        position: s.position,
      })),
    };
  },
  /** Who the token speaks as, and for which organization. */
  async viewer(client) {
    const answer = await raw<{
      viewer: { id: string; name: string };
      organization: { id: string; name: string; urlKey?: string };
    }>(client, VIEWER_QUERY);
    return {
      id: answer.viewer.id,
      name: answer.viewer.name,
      organization: {
        id: answer.organization.id,
        name: answer.organization.name,
        urlKey: answer.organization.urlKey ?? null,
      },
    };
  },
};

export const linearOperations = Object.keys(OPERATIONS);

const isOperation = (name: string): name is LinearOperation => Object.hasOwn(OPERATIONS, name);

/** The organization a call is for: its target, else the argument of a row stored before targets. */
function organizationOf(request: OutboundRequest): unknown {
  const target = request.platform === "linear" ? request.target : undefined;
  return target?.organizationId ?? request.args[LEGACY_ORGANIZATION_ARG];
}

/**
 * Linear's GraphQL API through `@linear/sdk`; errors become OutboundErrors the outbox can act on. A call whose
 * target names an organization (calls.ts) uses that organization's OAuth token when it has one, else the API
 * key.
 */
export function createLinearClient(options: LinearClientOptions): PlatformClient {
  const clients = new Map<string, LinearClient>();
  const clientFor = async (organizationId: unknown): Promise<LinearClient> => {
    const token =
      typeof organizationId === "string" && options.tokenFor ? await options.tokenFor(organizationId) : null;
    const key = token ? `oauth:${token}` : `key:${options.apiKey ?? ""}`;
    let client = clients.get(key);
    if (!client) {
      if (!token && !options.apiKey) {
        throw new OutboundError(
          `linear: no token for organization ${String(organizationId ?? "(none)")}: install Codex at /setup/linear or set LINEAR_API_KEY`,
          false,
        );
      }
      const { LinearClient } = await loadSdk();
      client = new LinearClient(
        token
          ? { accessToken: token, apiUrl: options.apiUrl }
          : { apiKey: options.apiKey, apiUrl: options.apiUrl },
      );
      // Tokens are refreshed now and then; forget clients of tokens no longer in use.
      if (clients.size >= 100) clients.clear();
      clients.set(key, client);
    }
    return client;
  };
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    async send(request: OutboundRequest) {
      if (!isOperation(request.operation))
        throw new OutboundError(`linear: unknown operation ${request.operation}`, false);
      const operation = OPERATIONS[request.operation];
      const organizationId = organizationOf(request);
      const { [LEGACY_ORGANIZATION_ARG]: _legacy, ...args } = request.args;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new OutboundError(`linear: no answer within ${timeoutMs} ms`, true)),
          timeoutMs,
        );
      });
      try {
        const client = await clientFor(organizationId);
        return await Promise.race([operation(client, args), timeout]);
      } catch (error) {
        throw toOutboundError(error);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

const RETRYABLE_TYPES = new Set<`${LinearErrorType}` | undefined>([
  "NetworkError",
  "InternalError",
  "LockTimeout",
]);

/** A 429 whose GraphQL error type the SDK did not recognise still carries the header. */
function retryAfterHeader(error: LinearError): number | undefined {
  const headers = (error.raw as { response?: { headers?: Headers } } | undefined)?.response?.headers;
  const value = Number(headers?.get?.("retry-after") ?? Number.NaN);
  return Number.isFinite(value) ? value : undefined;
}

export function toOutboundError(error: unknown): OutboundError {
  if (error instanceof OutboundError) return error;
  // Before the SDK is loaded nothing can have thrown one of its errors.
  const isLinearError = (value: unknown): value is LinearError => !!sdk && value instanceof sdk.LinearError;
  const limited =
    (!!sdk && error instanceof sdk.RatelimitedLinearError) || (isLinearError(error) && error.status === 429);
  if (limited) {
    const seconds = (error as RatelimitedLinearError).retryAfter ?? retryAfterHeader(error);
    return new OutboundError(
      `linear: rate limited${seconds !== undefined ? ` (Retry-After ${seconds}s)` : ""}`,
      true,
      seconds !== undefined ? seconds * 1000 : undefined,
    );
  }
  if (isLinearError(error)) {
    const status = error.status;
    // No status: the request never got an answer (connection refused, reset, DNS): worth another try.
    const retryable = RETRYABLE_TYPES.has(error.type) || status === undefined || status >= 500;
    const detail = error.errors?.[0]?.message ?? error.message;
    return new OutboundError(
      `linear: ${error.type ?? "error"}${status ? ` (HTTP ${status})` : ""}: ${detail}`,
      retryable,
    );
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new OutboundError(`linear: ${message}`, true);
}
