import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { raw } from "hono/html";
import { canSeeEnvironment } from "../access/environments";
import type { IndexedSnapshot } from "../access/snapshot-index";
import type { AppEnv } from "../context";
import { members } from "../db/schema/access";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { parseReviewAnswer } from "../replies/findings";
import { describeStanding } from "../replies/queued";
import { getTask, listTaskEvents } from "../tasks/service";
import type { Standing } from "../tasks/standing";
import { loadStanding } from "../tasks/standing-load";
import type { ContentErasure, Task } from "../tasks/types";
import { getSnapshot } from "../workspace/snapshot";
import { formToken } from "./csrf";
import { Page, privatePage } from "./layout";
import { renderMarkdown } from "./markdown";
import type { WebSession } from "./sign-in-session";
import { currentSession } from "./sign-in-session";

// GET /tasks/:id, the page "link" replies point to. It shows nothing to anyone who is not signed in as an
// active member of the task's workspace allowed to see the task's environment: an anonymous visitor is sent
// to sign in (without learning whether the task exists), anyone else gets a 403 without task content.

export type ViewDecision = { ok: true } | { ok: false; reason: string };

/** Who may read a task: the same visibility rule as running one there (DESIGN.md §4), for active members only. */
export function canViewTask(snapshot: IndexedSnapshot, session: WebSession, task: Task): ViewDecision {
  // A session opened with an admin API key (still valid: sign-in-session checks it on every request) reads
  // what that key reads through the admin API, every task included.
  if (session.provider === "key") return { ok: true };
  const entry =
    session.provider === "github"
      ? snapshot.byGithubLogin.get(session.subject)
      : snapshot.byEmail.get(session.subject);
  if (!entry) return { ok: false, reason: "You are not a member of the workspace this task belongs to." };
  if (entry.member.status !== "active")
    return { ok: false, reason: "Your membership in this workspace is deactivated." };
  if (task.environmentId === null) return { ok: true };
  const env = snapshot.environments.get(task.environmentId);
  if (!env) {
    // The environment was deleted: only the person who asked and the workspace owners still see the task.
    return entry.member.id === task.requesterMemberId || entry.member.isOwner
      ? { ok: true }
      : { ok: false, reason: "The task's environment no longer exists." };
  }
  return canSeeEnvironment(env, entry.member.id)
    ? { ok: true }
    : { ok: false, reason: `You do not have access to the environment ${env.env.name}.` };
}

async function snapshotFor(deps: Deps, workspaceId: string): Promise<IndexedSnapshot | null> {
  try {
    return await getSnapshot(deps, workspaceId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
}

const time = (ms: number | null) =>
  ms
    ? new Date(ms)
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, " UTC")
    : "—";

/** A review's findings JSON, shown as Markdown; anything else as written. */
function answerMarkdown(task: Task): string {
  const answer = task.answer ?? "";
  if (task.kind !== "review") return answer;
  const parsed = parseReviewAnswer(answer);
  if (!parsed.ok) return answer;
  const findings = parsed.value.findings.map(
    (f) => `- **[P${f.priority}] ${f.title}** \`${f.path}:${f.line}\`\n\n  ${f.body.replace(/\n/g, "\n  ")}`,
  );
  return [parsed.value.summary, findings.length ? `### Findings\n\n${findings.join("\n")}` : "No findings."]
    .filter(Boolean)
    .join("\n\n");
}

/** A queued task's place: the limit it waits on and its place in line, or that it is about to start. */
const waitingText = (standing: Standing | null) =>
  standing
    ? describeStanding(standing)
    : "No limit holds it: it starts as soon as the hub has a free runner.";

/** Why the page shows no text: the task's record stays, its prompt, context, answer and progress text do not. */
function erasureNotice(erasure: ContentErasure): string {
  const kept = "The task's record (who asked, where, when, its access decisions and outcome) is kept.";
  switch (erasure.reason) {
    case "zero_data_retention":
      return `The text of this task was not retained: this workspace keeps zero data retention, so the prompt, thread context, answer and progress were erased once the reply was delivered (${time(erasure.at)}). ${kept}`;
    case "deleted":
      return `The text of this task was deleted through the Compliance API on ${time(erasure.at)}. ${kept}`;
    case "retention":
      return `The text of this task was not retained past the workspace's retention period (erased ${time(erasure.at)}). ${kept}`;
  }
}

const safeHttpUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

export function taskPageRoutes() {
  const routes = new Hono<AppEnv>();
  routes.get("/tasks/:id", async (c) => {
    const deps = c.var.deps;
    privatePage(c);
    const session = await currentSession(c, deps);
    if (!session) return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.path)}`, 302);
    const signedIn = { name: session.displayName, formToken: await formToken(c, deps) };

    const forbidden = (reason: string) =>
      c.html(
        <Page title="Not allowed" signedIn={signedIn}>
          <h1>You cannot see this task</h1>
          <p>{reason}</p>
          <p class="muted">Ask a workspace owner or the environment's creator for access.</p>
        </Page>,
        403,
      );

    const task = await getTask(deps, c.req.param("id"));
    if (!task) {
      return c.html(
        <Page title="Not found" signedIn={signedIn}>
          <h1>No such task</h1>
        </Page>,
        404,
      );
    }
    const snapshot = await snapshotFor(deps, task.workspaceId);
    if (!snapshot) return forbidden("The task's workspace no longer exists.");
    const verdict = canViewTask(snapshot, session, task);
    if (!verdict.ok) return forbidden(verdict.reason);

    const [events, standing, requester] = await Promise.all([
      listTaskEvents(deps, task.id),
      task.status === "queued" ? loadStanding(deps, task, deps.clock.now()) : null,
      deps.database.db
        .select({ email: members.email, displayName: members.displayName })
        .from(members)
        .where(eq(members.id, task.requesterMemberId))
        .limit(1),
    ]);
    const who = requester[0] ? (requester[0].displayName ?? requester[0].email) : "a former member";
    const env = task.environmentId ? snapshot.environments.get(task.environmentId)?.env : undefined;
    const prUrl = safeHttpUrl(task.prUrl);
    return c.html(
      <Page title={task.title} signedIn={signedIn}>
        <h1>{task.title}</h1>
        <dl>
          <dt>Status</dt>
          <dd>
            <span class={`status ${task.status}`}>{task.status}</span>
          </dd>
          {task.status === "queued" ? (
            <>
              <dt>Why it waits</dt>
              <dd class="waiting">{waitingText(standing)}</dd>
            </>
          ) : null}
          <dt>Requested by</dt>
          <dd>{who}</dd>
          <dt>Environment</dt>
          <dd>{env ? `${env.name} (${env.repository})` : task.environmentId ? "(deleted)" : "none"}</dd>
          <dt>Kind</dt>
          <dd>{task.kind === "review" ? "code review" : "task"}</dd>
          <dt>Created · started · finished</dt>
          <dd>
            {time(task.createdAt)} · {time(task.startedAt)} · {time(task.finishedAt)}
          </dd>
          {prUrl ? (
            <>
              <dt>Pull request</dt>
              <dd>
                <a href={prUrl} rel="nofollow noopener noreferrer">
                  {prUrl}
                </a>
              </dd>
            </>
          ) : null}
        </dl>
        {task.contentErased ? (
          <div class="notice" role="status">
            <p>{erasureNotice(task.contentErased)}</p>
          </div>
        ) : (
          <>
            <h2>Prompt</h2>
            <pre>{task.prompt}</pre>
          </>
        )}
        <h2>Progress</h2>
        {events.length === 0 ? (
          <p class="muted">No progress recorded yet.</p>
        ) : (
          <ol class="events">
            {events.map((e) => (
              <li>
                <span class="muted">{time(e.at)}</span> <strong>{e.type}</strong> {e.text}
              </li>
            ))}
          </ol>
        )}
        {task.error ? (
          <>
            <h2>What failed</h2>
            <p>{task.error}</p>
          </>
        ) : null}
        <h2>Answer</h2>
        {task.contentErased ? (
          <p class="muted">Not retained.</p>
        ) : task.answer ? (
          // Rendered with raw HTML disabled and links allowlisted (see markdown.ts), so it is safe to insert.
          <div class="answer">{raw(renderMarkdown(answerMarkdown(task)))}</div>
        ) : (
          <p class="muted">
            {task.status === "queued" || task.status === "running" ? "Not finished yet." : "No answer."}
          </p>
        )}
      </Page>,
    );
  });
  return routes;
}
