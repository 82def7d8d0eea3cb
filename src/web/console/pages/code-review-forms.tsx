import { REVIEW_TRIGGERS } from "../../../routing/review-triggers";
import type { AllowedBot, RepoReviewSettingsView } from "../../../workspace/github-settings";
import { type ConsoleContext, ConsoleForm } from "../kit";
import { type ReviewFormValues, summary } from "./code-review-input";

// The pieces of the code review page: the repositories with their own settings, the settings form of one
// repository, and the bot allow-list. Every control has its label; one column on a phone.

export const repoPath = (repository: string) => `/code-review/repositories/${repository}`;

export function RepositoryTable(props: { repositories: RepoReviewSettingsView[] }) {
  if (props.repositories.length === 0) {
    return <p class="muted">No repository has its own settings yet: every repository uses the defaults.</p>;
  }
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Repository</th>
            <th scope="col">Settings</th>
          </tr>
        </thead>
        <tbody>
          {props.repositories.map((view) => (
            <tr>
              <td>
                <a href={repoPath(view.repository)}>{view.repository}</a>
              </td>
              <td>{summary(view)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Check(props: { id: string; name: string; checked: boolean; label: string; help?: string }) {
  return (
    <div>
      <input type="checkbox" id={props.id} name={props.name} value="on" checked={props.checked} />
      <label for={props.id}>
        {props.label}
        {props.help ? <span class="help">{props.help}</span> : null}
      </label>
    </div>
  );
}

function Lines(props: { id: string; label: string; help: string; value: string }) {
  return (
    <>
      <label for={`review-${props.id}`}>
        {props.label}
        <span class="help">{props.help}</span>
      </label>
      <textarea id={`review-${props.id}`} name={props.id} rows={3}>
        {props.value}
      </textarea>
    </>
  );
}

export function ReviewSettingsForm(props: { c: ConsoleContext; action: string; values: ReviewFormValues }) {
  const v = props.values;
  return (
    <ConsoleForm c={props.c} action={props.action}>
      <Check
        id="review-enabled"
        name="reviewEnabled"
        checked={v.reviewEnabled}
        label="Code review for this repository"
        help="Off: no review at all, not even when someone asks with @codex review."
      />
      <Check
        id="review-auto"
        name="autoReview"
        checked={v.autoReview}
        label="Automatic reviews"
        help="Review pull requests on the events below without being asked."
      />
      <fieldset>
        <legend>Trigger events</legend>
        {REVIEW_TRIGGERS.map((t) => (
          <Check id={`trigger-${t}`} name={`trigger_${t}`} checked={v.triggers.includes(t)} label={t} />
        ))}
      </fieldset>
      <fieldset>
        <legend>Whose pull requests</legend>
        <div>
          <input
            type="radio"
            id="contributors-all"
            name="contributors"
            value="all"
            checked={v.contributors === "all"}
          />
          <label for="contributors-all">Everyone's pull requests</label>
        </div>
        <div>
          <input
            type="radio"
            id="contributors-opted-in"
            name="contributors"
            value="opted_in"
            checked={v.contributors === "opted_in"}
          />
          <label for="contributors-opted-in">
            Only members who opted in
            <span class="help">Members opt in with /codex review-my-prs on.</span>
          </label>
        </div>
      </fieldset>
      <Check
        id="review-drafts"
        name="skipDrafts"
        checked={v.skipDrafts}
        label="Skip draft pull requests"
        help="A draft marked ready for review is reviewed if ready_for_review is a trigger."
      />
      <Lines
        id="baseBranchGlobs"
        label="Base branches"
        help="One a line, globs allowed (main, release/*). Empty: every branch."
        value={v.baseBranchGlobs}
      />
      <Lines id="skipLabels" label="Labels that skip" help="One a line." value={v.skipLabels} />
      <Lines
        id="skipTitleKeywords"
        label="Title words that skip"
        help='One a line, e.g. WIP or "[skip review]".'
        value={v.skipTitleKeywords}
      />
      <Lines
        id="ignoreAuthors"
        label="Authors to ignore"
        help="GitHub logins, one a line."
        value={v.ignoreAuthors}
      />
      <label for="review-priority">
        Lowest priority posted
        <span class="help">Findings below it are not posted. P1 posts P0 and P1.</span>
      </label>
      <select id="review-priority" name="minPriority">
        {["0", "1", "2", "3"].map((p) => (
          <option value={p} selected={v.minPriority === p}>
            P{p}
          </option>
        ))}
      </select>
      <div>
        <button class="button primary" type="submit">
          Save review settings
        </button>
      </div>
    </ConsoleForm>
  );
}

export function BotList(props: { c: ConsoleContext; bots: AllowedBot[]; login: string }) {
  const { c } = props;
  return (
    <>
      {props.bots.length === 0 ? (
        <p class="muted">No bots allowed: pull requests and comments of bots are ignored.</p>
      ) : (
        <ul class="checklist">
          {props.bots.map((bot) => (
            <li>
              <ConsoleForm
                c={c}
                action={`/code-review/bots/${encodeURIComponent(bot.login)}/remove`}
                class="row"
              >
                <code>{bot.login}</code>
                <button class="button danger" type="submit">
                  Remove {bot.login}
                </button>
              </ConsoleForm>
            </li>
          ))}
        </ul>
      )}
      <ConsoleForm c={c} action="/code-review/bots">
        <label for="bot-login">
          Allow a bot
          <span class="help">
            Its GitHub login, e.g. dependabot[bot]. This hub's own app is always ignored.
          </span>
        </label>
        <input type="text" id="bot-login" name="login" value={props.login} required />
        <div>
          <button class="button" type="submit">
            Allow bot
          </button>
        </div>
      </ConsoleForm>
    </>
  );
}
