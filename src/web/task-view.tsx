import { raw } from "hono/html";
import { parseReviewAnswer } from "../replies/findings";
import type { ExecutorName } from "../tasks/executors/types";
import { taskPlugins } from "../tasks/plugins";
import type { ContentErasure, Task, TaskProgressEvent } from "../tasks/types";
import { FormToken } from "./layout";
import { renderMarkdown } from "./markdown";
import type { OriginView } from "./task-origin";

// What the task page shows. The ids and data-* attributes are what the page's script (task-page-script.ts)
// updates: `#task` (status, where the events stream is, the last step shown), `#task-status`, `#task-steps`.

export type TaskStep = TaskProgressEvent & { seq: number };

export interface TaskViewProps {
  task: Task;
  steps: TaskStep[];
  requester: string;
  environment: string;
  origin: OriginView;
  /** Which executor took the task; null until one did. */
  executor: ExecutorName | null;
  /** The cancel form's token when the viewer may cancel the task (it is queued or running); else null. */
  cancelToken: string | null;
  /** Why a queued task is still waiting (its place in the queue, a usage limit), when that is known. */
  waiting: string | null;
}

const EXECUTORS: Record<ExecutorName, string> = {
  command: "the hub's agent command",
  codex: "Codex",
  http: "a remote task runner",
};

export const isActive = (task: Pick<Task, "status">) => task.status === "queued" || task.status === "running";

export const formatTime = (ms: number | null) =>
  ms
    ? new Date(ms)
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, " UTC")
    : "—";

/** A step's time of day (UTC), its date being the task's; the full time is its title. */
const stepTime = (ms: number) => new Date(ms).toISOString().slice(11, 19);

const safeHttpUrl = (url: string | null) => (url && /^https?:\/\//i.test(url) ? url : null);

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

function Origin(props: { origin: OriginView }) {
  const { surface, links } = props.origin;
  return (
    <>
      {surface}
      {links.map((link, i) => (
        <>
          {i === 0 ? ": " : " · "}
          {link.href ? (
            <a href={link.href} rel="nofollow noopener noreferrer">
              {link.text}
            </a>
          ) : (
            link.text
          )}
        </>
      ))}
    </>
  );
}

function Steps(props: { steps: TaskStep[] }) {
  return (
    <>
      <p id="task-steps-empty" class="muted" hidden={props.steps.length > 0}>
        No steps reported yet.
      </p>
      <ol id="task-steps" class="events" hidden={props.steps.length === 0}>
        {props.steps.map((step) => (
          <li>
            <time class="muted" datetime={new Date(step.at).toISOString()} title={formatTime(step.at)}>
              {stepTime(step.at)}
            </time>{" "}
            <strong>{step.type}</strong> {step.text}
          </li>
        ))}
      </ol>
    </>
  );
}

/** Why the page shows no text: the task's record stays, its prompt, context, answer and progress text do not. */
function erasureNotice(erasure: ContentErasure): string {
  const kept = "The task's record (who asked, where, when, its access decisions and outcome) is kept.";
  const at = formatTime(erasure.at);
  switch (erasure.reason) {
    case "zero_data_retention":
      return `The text of this task was not retained: this workspace keeps zero data retention, so the prompt, thread context, answer and progress were erased once the reply was delivered (${at}). ${kept}`;
    case "deleted":
      return `The text of this task was deleted through the Compliance API on ${at}. ${kept}`;
    case "retention":
      return `The text of this task was not retained past the workspace's retention period (erased ${at}). ${kept}`;
  }
}

export function TaskView(props: TaskViewProps) {
  const { task, steps } = props;
  const prUrl = safeHttpUrl(task.prUrl);
  const active = isActive(task);
  return (
    <article
      id="task"
      data-status={task.status}
      data-events={`/tasks/${encodeURIComponent(task.id)}/events`}
      data-after={String(steps.at(-1)?.seq ?? 0)}
    >
      <h1>{task.title}</h1>
      <p class="row">
        <span id="task-status" class={`status ${task.status}`}>
          {task.status}
        </span>
        {active ? (
          <span id="task-live" class="muted" hidden>
            This page follows the task as it runs.
          </span>
        ) : null}
      </p>
      {/* The waiting line: why a queued task has not started yet (its place in the queue, a usage limit). */}
      {props.waiting && task.status === "queued" ? (
        <p id="task-waiting" class="notice">
          <strong>Why it waits:</strong> {props.waiting}
        </p>
      ) : null}
      {props.cancelToken && active ? (
        <form method="post" action={`/tasks/${encodeURIComponent(task.id)}/cancel`}>
          <FormToken token={props.cancelToken} />
          <button class="button danger" type="submit">
            Cancel this task
          </button>
        </form>
      ) : null}
      <dl>
        <dt>Requested by</dt>
        <dd>{props.requester}</dd>
        <dt>Asked in</dt>
        <dd>
          <Origin origin={props.origin} />
        </dd>
        <dt>Environment</dt>
        <dd>{props.environment}</dd>
        <dt>Kind</dt>
        <dd>{task.kind === "review" ? "code review" : "task"}</dd>
        {task.kind === "task" ? (
          <>
            <dt>Mode</dt>
            <dd>
              {task.mode === "ask"
                ? "Ask: answers only, nothing is pushed and no pull request is opened"
                : "Code: may change files and open a pull request"}
            </dd>
          </>
        ) : null}
        {props.executor ? (
          <>
            <dt>Runs with</dt>
            <dd>{EXECUTORS[props.executor]}</dd>
          </>
        ) : null}
        <Plugins task={task} />
        <dt>Created · started · finished</dt>
        <dd>
          {formatTime(task.createdAt)} · {formatTime(task.startedAt)} · {formatTime(task.finishedAt)}
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
          <pre class="prompt">{task.prompt}</pre>
        </>
      )}
      <h2>Steps</h2>
      <Steps steps={steps} />
      {task.error ? (
        <>
          <h2>What failed</h2>
          <pre>{task.error}</pre>
        </>
      ) : null}
      <h2>Answer</h2>
      {task.contentErased ? (
        <p class="muted">Not retained.</p>
      ) : task.answer ? (
        // Rendered with raw HTML disabled and links allowlisted (see markdown.ts), so it is safe to insert.
        <div class="answer">{raw(renderMarkdown(answerMarkdown(task)))}</div>
      ) : (
        <p class="muted">{active ? "Not finished yet." : "No answer."}</p>
      )}
    </article>
  );
}

/** The plugins the task ran with (their skills reached the agent) and those left out, with why. */
function Plugins({ task }: { task: Task }) {
  const { installed, leftOut } = taskPlugins(task);
  if (installed.length === 0 && leftOut.length === 0) return null;
  return (
    <>
      <dt>Plugins</dt>
      <dd id="task-plugins">
        {installed.length > 0
          ? installed
              .map(
                (p) =>
                  `${p.name}${p.skills.length > 0 ? ` (skills: ${p.skills.map(skillName).join(", ")})` : ""}`,
              )
              .join(", ")
          : "none"}
      </dd>
      {leftOut.length > 0 ? (
        <>
          <dt>Left out</dt>
          <dd id="task-plugins-left-out">{leftOut.map((p) => `${p.name} (${p.reason})`).join(", ")}</dd>
        </>
      ) : null}
    </>
  );
}

/** A skill's first line names it; its instructions follow. */
const skillName = (skill: string) => {
  const first = skill.trim().split("\n", 1)[0] ?? "";
  return first.length > 60 ? `${first.slice(0, 60)}…` : first;
};
