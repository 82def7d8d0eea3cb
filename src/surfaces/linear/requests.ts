import { canSeeEnvironment } from "../../access/environments";
import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { EnvironmentOption } from "../../routing/mention";
import { parseRepositoryRef } from "../../routing/slash-args";
import { readModePrefix } from "../../routing/task-mode";
import type { Task, TaskMode } from "../../tasks/types";
import type { IssueDetails } from "./issues";
import type { SessionEvent } from "./listeners";

// What a request in Linear says, read from the event and the issue: its words, title and context, an
// environment it names. Pure; plan.ts decides with it.

export interface UsableEnvironment extends EnvironmentOption {
  repository: string;
  /** The mode of a request that names none. */
  defaultMode?: TaskMode;
}

/** The request an agent session runs, stored with the session while it asks which environment. */
export interface SessionRequest {
  title: string;
  prompt: string;
  /** Where an explicit repository or environment may be named (prompt, issue text). */
  text: string;
  labels: string[];
  teamId: string | null;
  context: Record<string, unknown>;
  /** `ask:` / `code:` at the start of the request; absent: the environment's default. */
  mode?: TaskMode;
}

/** The request waiting for an answer to "which environment?", with the environments offered. */
export interface PendingRequest extends SessionRequest {
  options: string[];
}

const MENTION = /(^|[^\w@])@codex\b/i;

export const mentionsCodex = (body: string): boolean => MENTION.test(body);

/** The request without the mention. */
export const withoutMention = (body: string): string =>
  body
    .replace(/(^|[^\w@])@codex\b[,:]?/gi, "$1")
    .replace(/[ \t]+/g, " ")
    .trim();

/**
 * A request's mode prefix (task-mode.ts), read after the mention of Codex: when there is one, the request is
 * the words after it; otherwise the words as they are.
 */
export function modeOf(words: string): { mode?: TaskMode; prompt: string } {
  const prefix = readModePrefix(withoutMention(words));
  return prefix.mode ? { mode: prefix.mode, prompt: prefix.text.trim() } : { prompt: words };
}

/** The person's own words: the last comment of the thread that started the session, from `promptContext`. */
export function directiveOf(promptContext: string | null): string | null {
  if (!promptContext) return null;
  const thread = /<primary-directive-thread\b[^>]*>([\s\S]*?)<\/primary-directive-thread>/.exec(
    promptContext,
  );
  const comments = [...(thread?.[1] ?? "").matchAll(/<comment\b[^>]*>([\s\S]*?)<\/comment>/g)];
  const body = comments.at(-1)?.[1]?.trim();
  return body || null;
}

/** A task title: the issue's identifier and title, else the first line of the request. */
export function requestTitle(
  issue: Pick<IssueDetails, "identifier" | "title"> | null,
  fromEvent: { identifier: string | null; title: string | null } | null,
  prompt: string | null,
): string {
  const identifier = issue?.identifier ?? fromEvent?.identifier;
  const title = issue?.title ?? fromEvent?.title;
  if (title) return identifier ? `${identifier} ${title}` : title;
  return prompt?.split("\n")[0]?.trim() || "Linear request";
}

const workOn = (identifier: string | null | undefined) =>
  identifier ? `Work on the Linear issue ${identifier}.` : "Work on this Linear issue.";

/** A session's first request: the directive (or the follow-up prompt), with the issue it is about. */
export function sessionRequest(event: SessionEvent, issue: IssueDetails | null): SessionRequest {
  const words = event.action === "prompted" ? event.prompt : directiveOf(event.promptContext);
  const asked = words ? modeOf(words) : null;
  const directive = asked ? asked.prompt || null : null;
  return {
    ...(asked?.mode ? { mode: asked.mode } : {}),
    title: requestTitle(issue, event.issue, directive),
    prompt: directive ?? workOn(issue?.identifier ?? event.issue?.identifier),
    text: [directive, event.promptContext, issue?.title, issue?.description].filter(Boolean).join("\n\n"),
    labels: issue?.labels ?? [],
    teamId: issue?.teamId ?? event.issue?.teamId ?? null,
    context: {
      linearIssue:
        event.promptContext ??
        (issue ? `${issue.identifier} ${issue.title}\n\n${issue.description ?? ""}` : null),
      linearIssueUrl: issue?.url ?? event.issue?.url ?? null,
    },
  };
}

/** A follow-up continues the session's conversation: a new task told the previous request and answer. */
export function followUpRequest(event: SessionEvent, previous: Task | null): SessionRequest {
  const asked = modeOf(event.prompt?.trim() ?? "");
  const prompt = asked.prompt || "Continue.";
  return {
    ...(asked.mode ? { mode: asked.mode } : {}),
    title: previous ? `Follow-up: ${previous.title}` : (prompt.split("\n")[0] ?? "Follow-up"),
    prompt,
    text: prompt,
    labels: [],
    teamId: event.issue?.teamId ?? null,
    context: {
      ...(previous?.context.linearIssue ? { linearIssue: previous.context.linearIssue } : {}),
      previousRequest: previous?.prompt ?? null,
      previousAnswer: previous?.answer ?? previous?.error ?? null,
    },
  };
}

/** What an issue delegated to Codex asks for: the issue itself. */
export function delegationPrompt(issueId: string, issue: IssueDetails | null): string {
  const ref = issue ? `${issue.identifier}: ${issue.title}` : issueId;
  return `Work on the Linear issue ${ref}.${issue?.description ? `\n\n${issue.description}` : ""}`;
}

/** The issue as a task's context, for work started outside agent sessions. */
export function issueContext(issue: IssueDetails | null): Record<string, unknown> {
  return {
    linearIssue: issue ? `${issue.identifier} ${issue.title}\n\n${issue.description ?? ""}`.trim() : null,
    linearIssueUrl: issue?.url ?? null,
  };
}

/** Environments visible to the member: the only ones a question may offer. */
export function usableEnvironments(snapshot: IndexedSnapshot, memberId: string): UsableEnvironment[] {
  const out: UsableEnvironment[] = [];
  for (const access of snapshot.environments.values()) {
    if (canSeeEnvironment(access, memberId))
      out.push({
        id: access.env.id,
        name: access.env.name,
        repository: access.env.repository,
        ...(access.env.defaultMode ? { defaultMode: access.env.defaultMode } : {}),
      });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** A label such as `acme/api`, `repo:acme/api` or a GitHub URL names a repository; one equal to an environment's name names it. */
export function fromLabels(
  labels: readonly string[],
  usable: readonly UsableEnvironment[],
): { repository?: string; environmentName?: string } {
  for (const label of labels) {
    const trimmed = label.trim();
    const env = usable.find((e) => e.name.toLowerCase() === trimmed.toLowerCase());
    if (env) return { environmentName: env.name };
    const repository = parseRepositoryRef(trimmed.replace(/^(?:repo|repository)\s*:\s*/i, ""));
    if (repository) return { repository };
  }
  return {};
}

/** Which offered environment a reply names: by name or repository, as a word of the reply or the whole of it. */
export function pickFromReply(
  reply: string,
  options: readonly UsableEnvironment[],
): UsableEnvironment | null {
  const text = reply
    .trim()
    .toLowerCase()
    .replace(/^env:/, "")
    .replace(/[.!]+$/, "");
  const exact = options.find((o) => o.name.toLowerCase() === text || o.repository.toLowerCase() === text);
  if (exact) return exact;
  const words = new Set(
    reply
      .toLowerCase()
      .split(/[\s`*_"'“”,;:()]+/)
      .filter(Boolean),
  );
  const named = options.filter(
    (o) => words.has(o.name.toLowerCase()) || words.has(o.repository.toLowerCase()),
  );
  return named.length === 1 ? (named[0] ?? null) : null;
}
