import type { CodexOptions, SandboxMode, ThreadEvent, ThreadOptions, Usage } from "@openai/codex-sdk";
import { opensInternet } from "../../access/internet";
import type { TaskKind, TaskMode, TaskUsage } from "../types";
import type { TaskEnvironment } from "./types";
import { type ExecutionContext, ExecutorError, type ProgressUpdate } from "./types";

// Pure helpers of the codex executor: how the thread is configured from the environment and the requester's
// managed policy, and how the SDK's streamed events become task progress.

const clip = (text: string, max = 500) => (text.length > max ? `${text.slice(0, max)}…` : text);

/**
 * Sandbox and network for a task. A review and an Ask task only read (`read-only`); a Code task edits its
 * checkout (`workspace-write`). The managed policy's `allowed_sandbox_modes` may narrow that to read-only; the
 * hub never widens a task to `danger-full-access`. Network is on only where the environment's effective
 * internet access is an allowlist that opens some host (the SDK turns network on or off; the hosts and methods
 * are the egress proxy's to enforce: see agentNetworkConfig).
 */
export function codexThreadOptions(
  task: { kind: TaskKind; mode: TaskMode },
  environment: TaskEnvironment,
  workingDirectory: string,
): ThreadOptions {
  const readOnly = task.kind === "review" || task.mode === "ask";
  const wanted: SandboxMode = readOnly ? "read-only" : "workspace-write";
  const allowed = environment.allowedSandboxModes;
  let sandboxMode: SandboxMode = wanted;
  if (allowed && !allowed.includes(wanted)) {
    if (!allowed.includes("read-only")) {
      throw new ExecutorError(
        `Your managed policy allows only ${allowed.join(", ") || "no"} sandbox mode(s); cloud tasks run in ` +
          "read-only or workspace-write. Ask a Codex admin to allow one of them.",
        false,
      );
    }
    sandboxMode = "read-only";
  }
  const network = opensInternet(environment.internet);
  return {
    workingDirectory,
    skipGitRepoCheck: true,
    sandboxMode,
    networkAccessEnabled: network && sandboxMode === "workspace-write",
    webSearchMode: network ? "cached" : "disabled",
    // Nobody is there to approve a command in a cloud task.
    approvalPolicy: "never",
  };
}

/**
 * The Codex CLI configuration that sends the commands the agent runs through the egress proxy: the proxy
 * variables go into the environment of those commands only (`shell_environment_policy.set`), not into the
 * CLI's own, whose requests to its model backend must not pass the task's allowlist.
 */
export function agentNetworkConfig(proxyEnv: Record<string, string>): CodexOptions["config"] {
  return { shell_environment_policy: { set: proxyEnv } };
}

/** The progress line an event deserves, if any (started/updated items are skipped: their completion says it). */
export function progressOf(event: ThreadEvent): ProgressUpdate | null {
  if (event.type === "thread.started")
    return { type: "status", text: `Codex started (thread ${event.thread_id}).` };
  if (event.type !== "item.completed") return null;
  const item = event.item;
  switch (item.type) {
    case "agent_message":
      return { type: "message", text: clip(item.text) };
    case "reasoning":
      return { type: "thought", text: clip(item.text) };
    case "command_execution":
      return {
        type: "command",
        text: `$ ${clip(item.command, 300)}${item.exit_code === undefined ? "" : ` (exit ${item.exit_code})`}`,
      };
    case "file_change":
      return {
        type: "file_change",
        text: `${item.status === "failed" ? "failed to change" : "changed"} ${item.changes.map((c) => `${c.path} (${c.kind})`).join(", ")}`,
      };
    case "mcp_tool_call":
      return { type: "tool", text: `${item.server}.${item.tool} (${item.status})` };
    case "web_search":
      return { type: "web_search", text: clip(item.query, 300) };
    case "todo_list":
      return {
        type: "plan",
        text: item.items.map((i) => `${i.completed ? "[x]" : "[ ]"} ${i.text}`).join("\n"),
      };
    case "error":
      return { type: "error", text: clip(item.message) };
    default:
      return null;
  }
}

export const toUsage = (u: Usage): TaskUsage => ({
  inputTokens: u.input_tokens,
  outputTokens: u.output_tokens,
  cachedInputTokens: u.cached_input_tokens,
});

/** The answer plus which files changed and why no pull request was opened. */
export function withNote(answer: string, files: string[], note: string): string {
  const shown = files.slice(0, 20).map((f) => `\`${f}\``);
  const more = files.length > 20 ? ` and ${files.length - 20} more` : "";
  return `${answer}\n\n---\nChanged files (${files.length}): ${shown.join(", ")}${more}.\n${note}`;
}

export function requireEnvironment(context: ExecutionContext): TaskEnvironment {
  if (context.environment) return context.environment;
  throw new ExecutorError(
    "This task has no environment, so Codex has no repository to work in. Pick an environment and ask again.",
    false,
  );
}
