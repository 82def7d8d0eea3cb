import type { Child } from "hono/jsx";
import { LOCAL_DISABLED_MESSAGE } from "../../../access/messages";
import type { WorkspaceToggles } from "../../../access/types";
import type { InstallationView } from "../../../workspace/github-installations";
import type { WorkspaceView } from "../../../workspace/workspaces";
import { type ConsoleContext, ConsoleForm } from "../kit";
import { Check, Link } from "./owner-forms";

// The switches of Workspace Settings > Settings and Permissions, named and explained as the product's admin
// guide names them, in the order it sets them up; and the platform tenants the workspace answers for.

export type ToggleKey = keyof WorkspaceToggles;

export interface ToggleField {
  key: ToggleKey;
  label: string;
  help: (c: ConsoleContext) => Child;
}

export const TOGGLE_SECTIONS: readonly { legend: string; toggles: readonly ToggleField[] }[] = [
  {
    legend: "Codex local",
    toggles: [
      {
        key: "codexLocal",
        label: "Allow members to use Codex Local",
        help: () => (
          <>
            The Codex app, CLI and IDE extension; the agent runs on the developer's computer in a sandbox.
            This setting doesn't require the GitHub connector. When it is off, those clients answer "
            {LOCAL_DISABLED_MESSAGE}"
          </>
        ),
      },
    ],
  },
  {
    legend: "Codex cloud",
    toggles: [
      {
        key: "githubConnector",
        label: "GitHub Connector",
        help: () =>
          "Turn this on first: Codex cloud reaches your GitHub repositories through it, with short-lived installation tokens scoped to one repository.",
      },
      {
        key: "codexCloud",
        label: "Allow members to use Codex cloud",
        help: () =>
          "Hosted Codex: cloud tasks, code review, and tasks created by the Slack integration or Linear integration. The agent runs remotely in a hosted container with your codebase.",
      },
      {
        key: "codeReview",
        label: "Allow Codex to do code reviews on GitHub",
        help: (c) => (
          <>
            Reviews of pull requests, automatic or when someone asks with @codex review. Choose repositories
            and triggers on{" "}
            <Link c={c} href="/code-review">
              Code review
            </Link>
            .
          </>
        ),
      },
    ],
  },
  {
    legend: "Answers on task completion",
    toggles: [
      {
        key: "slackFullAnswers",
        label: "Allow Codex Slack app to post answers on task completion",
        help: () =>
          "When on, Codex posts its full answer back to Slack when the task completes. Otherwise, Codex posts only a link to the task. Channels shared with another organization always get the link only.",
      },
      {
        key: "linearFullAnswers",
        label: "Allow Codex Linear app to post answers on task completion",
        help: () =>
          "When on, Codex posts its full answer back to Linear when the task completes. Otherwise, Codex posts only a link to the task.",
      },
    ],
  },
  {
    legend: "Agent internet access",
    toggles: [
      {
        key: "agentInternet",
        label: "Allow Codex agent to access the internet",
        help: (c) => (
          <>
            By default, Codex cloud agents have no internet access during runtime to help protect against
            security and safety risks like prompt injection. This setting lets environments use an allowlist
            of domains and HTTP methods (
            <Link c={c} href="/environments">
              Environments
            </Link>
            ), for members whose role allows agent internet access.
          </>
        ),
      },
    ],
  },
  {
    legend: "Data retention",
    toggles: [
      {
        key: "zeroDataRetention",
        label: "Zero data retention",
        help: () =>
          "Prompts, thread context and answers are kept only until Codex's reply is delivered, then erased, together with the webhook payloads that carried them and the replies as sent. Tasks keep who asked, where, when, the access decisions and the outcome; task pages say the text was not retained. The Compliance API logs these tasks without their text. Turning it on also erases the text of tasks already finished, at the next hourly sweep.",
      },
    ],
  },
];

export const TOGGLE_FIELDS: readonly ToggleField[] = TOGGLE_SECTIONS.flatMap((s) => s.toggles);

/** The hidden field saying how the form showed a switch, so a save changes only what the person moved. */
export const shownField = (key: ToggleKey) => `shown_${key}`;

/** Every switch as checkboxes in one form with one Save button (and what else the page saves with them). */
export function TogglesForm(props: { c: ConsoleContext; toggles: WorkspaceToggles; children?: Child }) {
  return (
    <ConsoleForm c={props.c} action="/settings">
      <input type="hidden" name="form" value="toggles" />
      {TOGGLE_SECTIONS.map((section) => (
        <fieldset class="stack">
          <legend>{section.legend}</legend>
          {section.toggles.map((t) => (
            <>
              <input type="hidden" name={shownField(t.key)} value={props.toggles[t.key] ? "on" : "off"} />
              <Check name={t.key} checked={props.toggles[t.key]} label={t.label} help={t.help(props.c)} />
            </>
          ))}
        </fieldset>
      ))}
      {props.children}
      <div>
        <button class="button primary" type="submit">
          Save
        </button>
      </div>
    </ConsoleForm>
  );
}

/** Cloud work needs both switches; say so when only one is on. */
export function ToggleWarnings(props: { toggles: WorkspaceToggles }) {
  const t = props.toggles;
  const warnings: string[] = [];
  if (t.codexCloud && !t.githubConnector)
    warnings.push("Codex cloud is on but the GitHub Connector is off: cloud tasks and reviews are refused.");
  if (t.codeReview && !(t.codexCloud && t.githubConnector))
    warnings.push("Code review needs Codex cloud and the GitHub Connector on as well.");
  if (warnings.length === 0) return null;
  return (
    <div class="notice warn" role="status">
      {warnings.map((w) => (
        <p>{w}</p>
      ))}
    </div>
  );
}

const LINKS: readonly { kind: WorkspaceView["links"][number]["kind"]; label: string; setup: string }[] = [
  { kind: "slack_team", label: "Slack team", setup: "/setup/slack" },
  { kind: "slack_enterprise", label: "Slack Enterprise Grid organization", setup: "/setup/slack" },
  { kind: "github_installation", label: "GitHub installations", setup: "/setup/github" },
  { kind: "linear_org", label: "Linear organization", setup: "/setup/linear" },
];

/** The workspace's name and the platform tenants whose events it answers, read-only. */
export function WorkspaceDetails(props: { workspace: WorkspaceView; installations: InstallationView[] }) {
  const { workspace } = props;
  const githubAccount = (id: string) => props.installations.find((i) => String(i.id) === id)?.accountLogin;
  return (
    <dl>
      <dt>Name</dt>
      <dd>{workspace.name}</dd>
      <dt>Workspace id</dt>
      <dd>
        <code>{workspace.id}</code>
      </dd>
      {LINKS.filter(
        (l) => l.kind !== "slack_enterprise" || workspace.links.some((w) => w.kind === l.kind),
      ).map((l) => {
        const ids = workspace.links.filter((w) => w.kind === l.kind).map((w) => w.externalId);
        return (
          <>
            <dt>{l.label}</dt>
            <dd>
              {ids.length === 0 ? (
                <span class="muted">
                  None linked. <a href={l.setup}>Set it up</a>.
                </span>
              ) : (
                ids.map((id, i) => {
                  const account = l.kind === "github_installation" ? githubAccount(id) : undefined;
                  return (
                    <>
                      {i > 0 ? ", " : ""}
                      <code>{id}</code>
                      {account ? ` (${account})` : ""}
                    </>
                  );
                })
              )}
            </dd>
          </>
        );
      })}
    </dl>
  );
}
