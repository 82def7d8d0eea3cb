import { LinearClient, LinearError, LinearErrorType, RatelimitedLinearError } from "@linear/sdk";
import { OutboundError, type OutboundRequest, type PlatformClient } from "./types";

export interface LinearClientOptions {
  apiKey: string;
  /** LINEAR_API_URL (GraphQL endpoint). */
  apiUrl: string;
  timeoutMs?: number;
}

type Args = Record<string, unknown>;
type Operation = (client: LinearClient, args: Args) => Promise<unknown>;

const str = (args: Args, key: string): string => {
  const value = args[key];
  if (typeof value !== "string" || !value)
    throw new OutboundError(`linear: argument \`${key}\` is required`, false);
  return value;
};
const input = (args: Args) => (args.input ?? {}) as Args;

/**
 * The calls the hub makes, by operation name. Results are plain data (the SDK's models hold a client and
 * lazy relations, which neither serialize nor belong in the outbox).
 */
const OPERATIONS: Record<string, Operation> = {
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
  async issue(client, args) {
    const issue = await client.issue(str(args, "id"));
    return {
      id: issue.id,
      identifier: issue.identifier,
      title: issue.title,
      url: issue.url,
      teamId: issue.teamId ?? null,
      stateId: issue.stateId ?? null,
    };
  },
  /** A team's workflow states, e.g. to move a delegated issue to the first `started` one. */
  async teamStates(client, args) {
    const team = await client.team(str(args, "teamId"));
    const states = await team.states();
    return {
      states: states.nodes.map((s) => ({ id: s.id, name: s.name, type: s.type, position: s.position })),
    };
  },
};

export const linearOperations = Object.keys(OPERATIONS);

/** Linear's GraphQL API through `@linear/sdk`; errors become OutboundErrors the outbox can act on. */
export function createLinearClient(options: LinearClientOptions): PlatformClient {
  const client = new LinearClient({ apiKey: options.apiKey, apiUrl: options.apiUrl });
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    async send(request: OutboundRequest) {
      const operation = OPERATIONS[request.operation];
      if (!operation) throw new OutboundError(`linear: unknown operation ${request.operation}`, false);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new OutboundError(`linear: no answer within ${timeoutMs} ms`, true)),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([operation(client, request.args), timeout]);
      } catch (error) {
        throw toOutboundError(error);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

const RETRYABLE_TYPES = new Set<LinearErrorType | undefined>([
  LinearErrorType.NetworkError,
  LinearErrorType.InternalError,
  LinearErrorType.LockTimeout,
]);

/** A 429 whose GraphQL error type the SDK did not recognise still carries the header. */
function retryAfterHeader(error: LinearError): number | undefined {
  const headers = (error.raw as { response?: { headers?: Headers } } | undefined)?.response?.headers;
  const value = Number(headers?.get?.("retry-after") ?? Number.NaN);
  return Number.isFinite(value) ? value : undefined;
}

export function toOutboundError(error: unknown): OutboundError {
  if (error instanceof OutboundError) return error;
  const limited =
    error instanceof RatelimitedLinearError || (error instanceof LinearError && error.status === 429);
  if (limited) {
    const seconds = (error as RatelimitedLinearError).retryAfter ?? retryAfterHeader(error);
    return new OutboundError(
      `linear: rate limited${seconds !== undefined ? ` (Retry-After ${seconds}s)` : ""}`,
      true,
      seconds !== undefined ? seconds * 1000 : undefined,
    );
  }
  if (error instanceof LinearError) {
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
