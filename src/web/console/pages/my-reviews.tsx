import { REVIEW_TRIGGERS } from "../../../routing/review-triggers";
import { getReviewOptIn, setReviewOptIn } from "../../../workspace/github-settings";
import {
  clearReviewTriggerChoice,
  listReviewTriggerChoices,
  setReviewTriggerChoice,
} from "../../../workspace/review-choices";
import {
  type ConsoleApp,
  type ConsoleContext,
  ConsoleForm,
  changeGuard,
  consolePage,
  formFields,
  Notices,
  needs,
  savedRedirect,
} from "../kit";
import { attempt, type Refusal, RefusalNotice } from "./form-errors";

// A member's own automatic reviews, for themselves: the workspace-wide opt-in and, per repository, the pull
// request events that start a review of their pull requests (within the repository's triggers), as
// `/codex review me` and the API's `members/me/github/review-triggers` change them.

const PATH = "/my-reviews";

const TRIGGER_LABELS: Record<(typeof REVIEW_TRIGGERS)[number], string> = {
  opened: "When I open a pull request",
  ready_for_review: "When I mark a draft ready for review",
  reopened: "When I reopen a pull request",
  synchronize: "On every push",
  review_requested: "When I request a review from Codex",
};

interface FormState {
  repository: string;
  triggers: string[];
  refusal: Refusal;
}

async function page(c: ConsoleContext, state?: FormState) {
  const viewer = c.var.viewer;
  const memberId = viewer.memberId;
  if (!memberId) {
    return consolePage(c, {
      title: "My reviews",
      path: PATH,
      children: (
        <>
          <h1>My reviews</h1>
          <p class="muted">
            This session was opened with an API key, which is not a member: nothing to choose here.
          </p>
        </>
      ),
    });
  }
  const [optIn, choices] = await Promise.all([
    getReviewOptIn(c.var.deps, viewer.workspaceId, memberId),
    listReviewTriggerChoices(c.var.deps, viewer.workspaceId, memberId),
  ]);
  const checked = new Set(state?.triggers ?? ["opened", "ready_for_review"]);
  return consolePage(
    c,
    {
      title: "My reviews",
      path: PATH,
      children: (
        <>
          <h1>My reviews</h1>
          <Notices c={c} />
          <h2>Opt in</h2>
          <p>
            Automatic reviews of your pull requests where a repository reviews only members who opted in:{" "}
            <strong>{optIn ? "on" : "off"}</strong>.
          </p>
          <ConsoleForm c={c} action={`${PATH}/opt-in`}>
            <input type="hidden" name="enabled" value={optIn ? "off" : "on"} />
            <div>
              <button class="button" type="submit">
                {optIn ? "Opt out" : "Opt in"}
              </button>
            </div>
          </ConsoleForm>
          <h2>When Codex reviews my pull requests</h2>
          {choices.length === 0 ? (
            <p class="muted">Every repository reviews your pull requests on its own triggers.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Repository</th>
                  <th>Your triggers</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {choices.map((choice) => (
                  <tr>
                    <td>{choice.repository}</td>
                    <td>{choice.triggers.length > 0 ? choice.triggers.join(", ") : "off"}</td>
                    <td>
                      <ConsoleForm c={c} action={`${PATH}/reset`} class="inline">
                        <input type="hidden" name="repository" value={choice.repository} />
                        <button class="button" type="submit">
                          Use the repository's triggers
                        </button>
                      </ConsoleForm>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>Choose for a repository</h3>
          <RefusalNotice refusal={state?.refusal} />
          <ConsoleForm c={c} action={`${PATH}/triggers`}>
            <label for="repository">
              Repository
              <span class="help">owner/name on GitHub. Only events the repository allows can be chosen.</span>
            </label>
            <input type="text" id="repository" name="repository" value={state?.repository ?? ""} required />
            <fieldset>
              <legend>Review my pull requests</legend>
              {REVIEW_TRIGGERS.map((trigger) => (
                <label>
                  <input
                    type="checkbox"
                    name={`trigger_${trigger}`}
                    value="on"
                    checked={checked.has(trigger)}
                  />{" "}
                  {TRIGGER_LABELS[trigger]} (<code>{trigger}</code>)
                </label>
              ))}
              <span class="help">None ticked: no automatic review of your pull requests there.</span>
            </fieldset>
            <div>
              <button class="button primary" type="submit">
                Save
              </button>
            </div>
          </ConsoleForm>
        </>
      ),
    },
    state?.refusal.status ?? 200,
  );
}

/** Member-level pages act only for the viewer themselves; a key session has no member to act for. */
const memberOf = (c: ConsoleContext) => c.var.viewer.memberId;

export function myReviewsPage(app: ConsoleApp) {
  app.get(PATH, needs("member", PATH), (c) => page(c));

  app.post(`${PATH}/opt-in`, ...changeGuard("member", PATH), async (c) => {
    const memberId = memberOf(c);
    if (!memberId) return page(c);
    const viewer = c.var.viewer;
    const enabled = (await formFields(c)).enabled === "on";
    await setReviewOptIn(c.var.deps, {
      workspaceId: viewer.workspaceId,
      memberId,
      enabled,
      actor: viewer.actor,
    });
    return savedRedirect(c, PATH);
  });

  app.post(`${PATH}/triggers`, ...changeGuard("member", PATH), async (c) => {
    const memberId = memberOf(c);
    if (!memberId) return page(c);
    const viewer = c.var.viewer;
    const fields = await formFields(c);
    const repository = fields.repository ?? "";
    const triggers = REVIEW_TRIGGERS.filter((t) => fields[`trigger_${t}`] === "on");
    const done = await attempt(() =>
      setReviewTriggerChoice(c.var.deps, {
        workspaceId: viewer.workspaceId,
        memberId,
        repository,
        triggers,
        actor: viewer.actor,
      }),
    );
    if (!done.ok) return page(c, { repository, triggers, refusal: done.refusal });
    return savedRedirect(c, PATH);
  });

  app.post(`${PATH}/reset`, ...changeGuard("member", PATH), async (c) => {
    const memberId = memberOf(c);
    if (!memberId) return page(c);
    const viewer = c.var.viewer;
    const repository = (await formFields(c)).repository ?? "";
    const done = await attempt(() =>
      clearReviewTriggerChoice(c.var.deps, {
        workspaceId: viewer.workspaceId,
        memberId,
        repository,
        actor: viewer.actor,
      }),
    );
    if (!done.ok) return page(c, { repository, triggers: [], refusal: done.refusal });
    return savedRedirect(c, PATH);
  });
}
