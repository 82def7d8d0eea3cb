import { fileURLToPath } from "node:url";
import { and, eq } from "drizzle-orm";
import { tokenProvider } from "../../clients/github/app";
import { createPullRequest } from "../../clients/github/calls";
import type { Config } from "../../config";
import { workspaceLinks } from "../../db/schema/workspaces";
import type { Deps } from "../../deps";
import { createHttpExecutor } from "../../tasks/executors/http";
import { type Executor, unavailableExecutor } from "../../tasks/executors/types";
import type { Task } from "../../tasks/types";
import type { EgressProxy } from "../egress-proxy";
import { checkoutWorkspace } from "./checkout-workspace";
import { createCodexExecutor, type OpenPullRequest, type RepoTokenProvider } from "./codex";
import { createCommandExecutor, emptyTempDir } from "./command";
import { withEgressProxy } from "./egress";
import { nodeRunnerPost } from "./runner-post";

// Node only: builds the executor HUB_EXECUTOR names. Imported by src/runtime/node.ts alone.

// This module is src/tasks/executors/ in the source; built, it is bundled into dist/runtime/ (npm run build).
const demoAgent = fileURLToPath(
  new URL(
    `${import.meta.url.endsWith(".ts") ? "../../.." : "../.."}/scripts/demo-agent.mjs`,
    import.meta.url,
  ),
);

/** Variables an agent process may see; the hub's own secrets (keys, tokens) are never passed on. */
const baseVariables = ["PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ", "USER", "SHELL"];
const codexVariables = ["CODEX_HOME", "CODEX_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "SSL_CERT_FILE"];

function pick(env: Record<string, string | undefined>, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** The demo agent run by the same Node that runs the hub (sandbox mode's default command). */
export function demoAgentCommand(): string {
  return `${shellQuote(process.execPath)} ${shellQuote(demoAgent)}`;
}

/** `https://api.github.com` → `https://github.com`; GHES `https://host/api/v3` → `https://host`. */
export function gitBaseUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === "api.github.com") return "https://github.com";
  return `${url.protocol}//${url.host}`;
}

/** The GitHub installation that can reach a task's repository: the PR's own, or the workspace's. */
export async function installationForTask(deps: Pick<Deps, "database">, task: Task): Promise<number | null> {
  if (task.origin.surface === "github") return task.origin.installationId;
  const [link] = await deps.database.db
    .select({ externalId: workspaceLinks.externalId })
    .from(workspaceLinks)
    .where(
      and(eq(workspaceLinks.workspaceId, task.workspaceId), eq(workspaceLinks.kind, "github_installation")),
    )
    .limit(1);
  return link ? Number(link.externalId) : null;
}

function githubFunctions(getDeps: () => Deps): {
  getRepoToken: RepoTokenProvider;
  openPullRequest: OpenPullRequest;
} {
  return {
    async getRepoToken(repository, permissions, task) {
      const deps = getDeps();
      // Without a GitHub App (sandbox mode) clones are anonymous: public repositories only.
      if (!deps.githubApp) return null;
      const installationId = await installationForTask(deps, task);
      if (installationId === null)
        throw new Error(`no GitHub installation of this workspace can reach ${repository}`);
      return tokenProvider(deps.githubApp)(installationId, repository, permissions);
    },
    async openPullRequest(request, task) {
      const deps = getDeps();
      const installationId = await installationForTask(deps, task);
      if (installationId === null) throw new Error("no GitHub installation is linked to this workspace");
      const response = (await deps.clients.github.send(
        createPullRequest(
          { installationId, repository: request.repository },
          { title: request.title, head: request.head, base: request.base, body: request.body },
        ),
      )) as { data?: { html_url?: string } };
      const url = response.data?.html_url;
      if (!url) throw new Error("GitHub did not return the pull request's address");
      return { url };
    },
  };
}

/**
 * The executor for this process. `processEnv` is the runtime's environment, from which only the variables an
 * agent needs are passed on; `getDeps` gives the hub's deps once built (tokens and PRs go through them).
 * With `egress`, each task's agent reaches the internet through that proxy with its own credentials.
 */
export function createNodeExecutor(
  config: Config,
  processEnv: Record<string, string | undefined>,
  getDeps: () => Deps,
  egress?: EgressProxy,
): Executor {
  const proxied = (executor: Executor) => (egress ? withEgressProxy(executor, egress, getDeps) : executor);
  const proxyEnv = egress ? (task: Task) => egress.envFor(task.id) : undefined;
  const { kind } = config.executor;
  if (kind === "http") {
    return createHttpExecutor({
      url: config.executor.url ?? "",
      secret: config.executor.secret,
      publicUrl: config.publicUrl,
      clock: { now: () => getDeps().clock.now() },
      post: nodeRunnerPost,
    });
  }
  if (kind === "codex") {
    return proxied(
      createCodexExecutor({
        env: pick(processEnv, [...baseVariables, ...codexVariables]),
        repositoryUrl: (repository) => `${gitBaseUrl(config.github.apiUrl)}/${repository}.git`,
        publicUrl: config.publicUrl,
        ...(proxyEnv ? { agentEnv: proxyEnv } : {}),
        ...githubFunctions(getDeps),
      }),
    );
  }
  const command = config.executor.command ?? (config.sandbox ? demoAgentCommand() : undefined);
  if (!command)
    return unavailableExecutor("command", "HUB_EXECUTOR_COMMAND is not set, so no agent can run.");
  const env = pick(processEnv, baseVariables);
  // With a GitHub App the agent works in a checkout of the task's repository (and gets its Team Config);
  // without one (sandbox mode) it keeps an empty directory, as no repository can be cloned for it.
  const checkout = checkoutWorkspace({
    env,
    repositoryUrl: (repository) => `${gitBaseUrl(config.github.apiUrl)}/${repository}.git`,
    getRepoToken: githubFunctions(getDeps).getRepoToken,
  });
  return proxied(
    createCommandExecutor({
      command,
      env,
      ...(proxyEnv ? { taskEnv: proxyEnv } : {}),
      workspace: (task, context) => (getDeps().githubApp ? checkout(task, context) : emptyTempDir(task)),
    }),
  );
}
