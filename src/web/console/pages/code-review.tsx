import {
  allowBot,
  disallowBot,
  getRepoReviewSettings,
  listAllowedBots,
  listRepoReviewSettings,
  type RepoReviewSettingsView,
  updateRepoReviewSettings,
} from "../../../workspace/github-settings";
import { updateToggles } from "../../../workspace/workspaces";
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
import { BotList, RepositoryTable, ReviewSettingsForm, repoPath } from "./code-review-forms";
import {
  optedInMemberIds,
  type ReviewFormValues,
  reviewInput,
  reviewValues,
  reviewValuesOf,
} from "./code-review-input";
import { attempt, type Refusal, RefusalNotice } from "./form-errors";

// Code review: the workspace switch (owners, as `/codex settings set` allows), review settings per repository
// and the bot allow-list (Codex Admins and owners, as `/codex repo ...` allows), and who opted in to reviews
// of their own pull requests. Each change goes through the same domain function as the admin API.

const PATH = "/code-review";
const LEVEL = "codex_admin";

interface ListState {
  repository?: { value: string; refusal: Refusal };
  bot?: { value: string; refusal: Refusal };
}

async function listPage(c: ConsoleContext, state: ListState = {}) {
  const viewer = c.var.viewer;
  const { deps } = c.var;
  const [repositories, bots, optedIn] = await Promise.all([
    listRepoReviewSettings(deps, viewer.workspaceId),
    listAllowedBots(deps, viewer.workspaceId),
    optedInMemberIds(deps, viewer.workspaceId),
  ]);
  const on = viewer.snapshot.snapshot.toggles.codeReview;
  const emails = optedIn.map((id) => viewer.snapshot.members.get(id)?.member.email ?? id).sort();
  return consolePage(
    c,
    {
      title: "Code review",
      path: PATH,
      children: (
        <>
          <h1>Code review</h1>
          <Notices c={c} />
          <h2>Workspace switch</h2>
          <p>
            Code review is <strong>{on ? "on" : "off"}</strong> for this workspace.{" "}
            {on ? "Repositories review as their settings say." : "No pull request is reviewed anywhere."}
          </p>
          {viewer.level === "owner" ? (
            <ConsoleForm c={c} action={`${PATH}/switch`}>
              <input type="hidden" name="codeReview" value={on ? "off" : "on"} />
              <div>
                <button class={on ? "button danger" : "button primary"} type="submit">
                  {on ? "Turn code review off" : "Turn code review on"}
                </button>
              </div>
            </ConsoleForm>
          ) : (
            <p class="muted">Only workspace owners can change this switch.</p>
          )}
          <h2>Repositories</h2>
          <RepositoryTable repositories={repositories} />
          <h3>Add settings for a repository</h3>
          <RefusalNotice refusal={state.repository?.refusal} />
          <ConsoleForm c={c} action={`${PATH}/repositories`}>
            <label for="repository">
              Repository
              <span class="help">owner/name on GitHub. It starts with the default settings.</span>
            </label>
            <input
              type="text"
              id="repository"
              name="repository"
              value={state.repository?.value ?? ""}
              required
            />
            <div>
              <button class="button" type="submit">
                Add repository
              </button>
            </div>
          </ConsoleForm>
          <h2>Members who opted in</h2>
          <p class="help">
            Their own pull requests are reviewed where a repository reviews only opted-in members' pull
            requests.
          </p>
          {emails.length === 0 ? (
            <p class="muted">Nobody has opted in.</p>
          ) : (
            <ul>
              {emails.map((email) => (
                <li>{email}</li>
              ))}
            </ul>
          )}
          <h2>Allowed bots</h2>
          <RefusalNotice refusal={state.bot?.refusal} />
          <BotList c={c} bots={bots} login={state.bot?.value ?? ""} />
        </>
      ),
    },
    state.repository?.refusal.status ?? state.bot?.refusal.status ?? 200,
  );
}

function repositoryPage(
  c: ConsoleContext,
  view: RepoReviewSettingsView,
  form?: { values: ReviewFormValues; refusal: Refusal },
) {
  return consolePage(
    c,
    {
      title: view.repository,
      path: PATH,
      children: (
        <>
          <p>
            <a href={PATH}>Code review</a>
          </p>
          <h1>{view.repository}</h1>
          <Notices c={c} />
          {view.configured ? null : (
            <p class="muted">Nobody configured this repository yet: these are the defaults.</p>
          )}
          <RefusalNotice refusal={form?.refusal} />
          <ReviewSettingsForm
            c={c}
            action={repoPath(view.repository)}
            values={form?.values ?? reviewValuesOf(view.settings)}
          />
        </>
      ),
    },
    form?.refusal.status ?? 200,
  );
}

const repositoryOf = (c: ConsoleContext) => `${c.req.param("owner")}/${c.req.param("name")}`;

export function codeReviewPage(app: ConsoleApp) {
  app.get(PATH, needs(LEVEL, PATH), (c) => listPage(c));

  app.post(`${PATH}/switch`, ...changeGuard("owner", PATH), async (c) => {
    const fields = await formFields(c);
    const viewer = c.var.viewer;
    await updateToggles(
      c.var.deps,
      viewer.workspaceId,
      { codeReview: fields.codeReview === "on" },
      viewer.actor,
    );
    return savedRedirect(c, PATH);
  });

  app.post(`${PATH}/repositories`, ...changeGuard(LEVEL, PATH), async (c) => {
    const viewer = c.var.viewer;
    const value = (await formFields(c)).repository ?? "";
    const found = await attempt(() => getRepoReviewSettings(c.var.deps, viewer.workspaceId, value));
    if (!found.ok) return listPage(c, { repository: { value, refusal: found.refusal } });
    // A repository already configured keeps its settings: adding it again only opens it.
    if (!found.value.configured) {
      await updateRepoReviewSettings(c.var.deps, {
        workspaceId: viewer.workspaceId,
        repository: found.value.repository,
        patch: {},
        actor: viewer.actor,
      });
    }
    return savedRedirect(c, repoPath(found.value.repository));
  });

  app.get(`${PATH}/repositories/:owner/:name`, needs(LEVEL, PATH), async (c) => {
    const found = await attempt(() =>
      getRepoReviewSettings(c.var.deps, c.var.viewer.workspaceId, repositoryOf(c)),
    );
    if (!found.ok) return listPage(c, { repository: { value: repositoryOf(c), refusal: found.refusal } });
    return repositoryPage(c, found.value);
  });

  app.post(`${PATH}/repositories/:owner/:name`, ...changeGuard(LEVEL, PATH), async (c) => {
    const viewer = c.var.viewer;
    const found = await attempt(() => getRepoReviewSettings(c.var.deps, viewer.workspaceId, repositoryOf(c)));
    if (!found.ok) return listPage(c, { repository: { value: repositoryOf(c), refusal: found.refusal } });
    const values = reviewValues(await formFields(c));
    const input = reviewInput(values);
    if (!input.ok) return repositoryPage(c, found.value, { values, refusal: input.refusal });
    const done = await attempt(() =>
      updateRepoReviewSettings(c.var.deps, {
        workspaceId: viewer.workspaceId,
        repository: found.value.repository,
        patch: input.input,
        actor: viewer.actor,
      }),
    );
    if (!done.ok) return repositoryPage(c, found.value, { values, refusal: done.refusal });
    return savedRedirect(c, repoPath(found.value.repository));
  });

  app.post(`${PATH}/bots`, ...changeGuard(LEVEL, PATH), async (c) => {
    const viewer = c.var.viewer;
    const value = (await formFields(c)).login ?? "";
    const done = await attempt(() =>
      allowBot(c.var.deps, { workspaceId: viewer.workspaceId, login: value, actor: viewer.actor }),
    );
    if (!done.ok) return listPage(c, { bot: { value, refusal: done.refusal } });
    return savedRedirect(c, PATH);
  });

  app.post(`${PATH}/bots/:login/remove`, ...changeGuard(LEVEL, PATH), async (c) => {
    const viewer = c.var.viewer;
    const login = c.req.param("login");
    const done = await attempt(() =>
      disallowBot(c.var.deps, { workspaceId: viewer.workspaceId, login, actor: viewer.actor }),
    );
    if (!done.ok) return listPage(c, { bot: { value: "", refusal: done.refusal } });
    return savedRedirect(c, PATH);
  });
}
