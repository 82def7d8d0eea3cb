import { describe, expect, it } from "vitest";
import { indexSnapshot } from "../../src/access/snapshot-index";
import type { RepoPermission, WorkspaceSnapshot } from "../../src/access/types";
import { parseGithubMention } from "../../src/routing/github-mention";
import { type RepoReviewSettings, repoReviewSettingsSchema } from "../../src/routing/review-triggers";
import type { CommentEvent, InstallationEvent, PullRequestEvent } from "../../src/surfaces/github/payloads";
import {
  type PullRequestContext,
  type PullRequestPlan,
  planPullRequest,
  type RepoScope,
  type ScopeState,
} from "../../src/surfaces/github/plan";
import {
  type MentionContext,
  type MentionPlan,
  planChangedComment,
  planComment,
  planMention,
} from "../../src/surfaces/github/plan-comment";
import { type InstallationContext, planInstallation } from "../../src/surfaces/github/plan-installation";
import { baseSnapshot } from "../access/fixture";

// Every branch of the GitHub surface's plans, as tables: the event and what was loaded → the plan, summed up
// in one line. The workspace is the access fixture's (alice: Codex cloud, GitHub "Alice-GH", policy allowing
// `workspace-write`; carol: local only; dave: the owner; environment `web` for acme/web with an allowlist).

const REPO = "acme/web";
const APP = "codex-hub[bot]";

const actor = (login: string, isBot = false) => ({ login, id: 1, isBot });

function snapshot(edit?: (s: WorkspaceSnapshot) => void) {
  const s = baseSnapshot();
  edit?.(s);
  return indexSnapshot(s);
}

const settings = (over: Partial<RepoReviewSettings> = {}): RepoReviewSettings => ({
  ...repoReviewSettingsSchema.parse({}),
  ...over,
});

const scope = (over: Partial<RepoScope> = {}): RepoScope => ({
  workspaceId: "ws-1",
  installationId: 7,
  appLogin: APP,
  allowedBots: [],
  settings: settings(),
  ...over,
});

const scoped = (over: Partial<RepoScope> = {}): ScopeState => ({ kind: "scoped", scope: scope(over) });

const OUT_OF_SCOPE: { name: string; scope: ScopeState; outcome: string }[] = [
  {
    name: "no installation named",
    scope: { kind: "no-installation" },
    outcome: "ignored: the event names no App installation",
  },
  {
    name: "an installation no workspace claimed",
    scope: { kind: "unlinked", installationId: 7 },
    outcome: "ignored: installation 7 is not linked to a workspace (an admin can claim it)",
  },
  {
    name: "a suspended installation",
    scope: { kind: "inactive", installationId: 7 },
    outcome: "ignored: installation 7 is suspended or deleted",
  },
];

// ---- Automatic reviews ----

function pullRequest(over: Partial<PullRequestEvent> & { draft?: boolean; author?: string } = {}) {
  const { draft, author, ...rest } = over;
  return {
    action: "opened",
    installationId: 7,
    repository: { id: 1, fullName: REPO, isPrivate: true },
    sender: actor(author ?? "Alice-GH"),
    requestedReviewer: null,
    pr: {
      number: 5,
      title: "Fix the login redirect",
      state: "open",
      draft: draft ?? false,
      htmlUrl: "https://github.test/acme/web/pull/5",
      authorLogin: author ?? "Alice-GH",
      authorIsBot: (author ?? "").endsWith("[bot]"),
      headSha: "a1b2c3d4e5f6",
      headRef: "fix-login",
      headRepoFullName: REPO,
      baseRef: "main",
      baseSha: "0f0f0f0f",
      labels: [],
    },
    ...rest,
  } satisfies PullRequestEvent;
}

/** A plan in one line: what happens, and for whom. */
function pullRequestSummary(plan: PullRequestPlan): string {
  switch (plan.kind) {
    case "ignore":
      return plan.outcome;
    case "need":
      return `need ${plan.load}`;
    case "skip":
      return `skip ${plan.reason}${plan.access ? ` (${plan.access.actor} recorded)` : ""}: ${plan.detail}`;
    case "review": {
      const { request } = plan.access;
      return `review ${plan.trigger} for ${plan.requesterMemberId} as ${plan.access.actor} (${plan.permission}) in ${request.environmentId}`;
    }
  }
}

describe("planPullRequest", () => {
  it.each(OUT_OF_SCOPE)("ignores an event from $name", ({ scope, outcome }) => {
    expect(planPullRequest(pullRequest(), { scope })).toEqual({ kind: "ignore", outcome });
  });

  const people = (
    authorMemberId: string | null,
    authorOptedIn = false,
    edit?: (s: WorkspaceSnapshot) => void,
  ) => ({
    snapshot: snapshot(edit),
    authorMemberId,
    authorOptedIn,
  });

  const cases: {
    name: string;
    event?: PullRequestEvent;
    scope?: Partial<RepoScope>;
    people?: PullRequestContext["people"];
    permission?: RepoPermission | null;
    plan: string;
  }[] = [
    {
      name: "an action that never starts a review",
      event: pullRequest({ action: "closed" }),
      plan: "ignored: pull_request.closed never starts a review",
    },
    {
      name: "sent by this App",
      event: pullRequest({ sender: actor(APP, true) }),
      plan: `skip SENDER_IS_APP: ${APP} is this App; its own events are ignored`,
    },
    {
      name: "sent by a bot nobody allowed",
      event: pullRequest({ sender: actor("renovate[bot]", true) }),
      plan: "skip SENDER_IS_BOT: renovate[bot] is a bot that is not allow-listed",
    },
    {
      name: "sent by an allowed bot: the author is looked up next",
      event: pullRequest({ sender: actor("renovate[bot]", true) }),
      scope: { allowedBots: ["Renovate[bot]"] },
      plan: "need people",
    },
    { name: "past the guards: the author is looked up", plan: "need people" },
    {
      name: "a trigger the repository does not enable",
      event: pullRequest({ action: "reopened" }),
      people: people("alice"),
      plan: 'skip TRIGGER_NOT_ENABLED: trigger "reopened" is not enabled (enabled: opened, ready_for_review)',
    },
    {
      name: "code review off for the workspace",
      people: people("alice", false, (s) => {
        s.toggles.codeReview = false;
      }),
      plan: "skip WORKSPACE_REVIEW_OFF: code review is turned off for the workspace",
    },
    {
      name: "a draft",
      event: pullRequest({ draft: true }),
      people: people("alice"),
      plan: "skip DRAFT: draft pull requests are skipped until marked ready for review",
    },
    {
      name: "a review requested from a person",
      event: pullRequest({ action: "review_requested", requestedReviewer: "bob" }),
      scope: { settings: settings({ triggers: ["review_requested"] }) },
      people: people("alice"),
      plan: "skip ACTION_NOT_A_TRIGGER: review was requested from someone other than Codex",
    },
    {
      name: "a review requested from the App by its slug",
      event: pullRequest({ action: "review_requested", requestedReviewer: "codex-hub" }),
      scope: { settings: settings({ triggers: ["review_requested"] }) },
      people: people("alice"),
      permission: "write",
      plan: "review review_requested for alice as github:Alice-GH (write) in env-web",
    },
    {
      name: "only opted-in members, and the author has not opted in",
      scope: { settings: settings({ contributors: "opted_in" }) },
      people: people("alice", false),
      plan: "skip AUTHOR_NOT_OPTED_IN: only pull requests of members who opted in are reviewed; Alice-GH has not",
    },
    {
      name: "a member's pull request: GitHub is asked about them",
      people: people("alice"),
      plan: "need permission",
    },
    {
      name: "a member with write access",
      people: people("alice"),
      permission: "write",
      plan: "review opened for alice as github:Alice-GH (write) in env-web",
    },
    {
      name: "an opted-in member",
      scope: { settings: settings({ contributors: "opted_in" }) },
      people: people("alice", true),
      permission: "read",
      plan: "review opened for alice as github:Alice-GH (read) in env-web",
    },
    {
      name: "a member GitHub says has no access",
      people: people("alice"),
      permission: "none",
      plan: "skip ACCESS_DENIED (github:Alice-GH recorded): REPO_NO_ACCESS: GitHub says you don't have access to acme/web. Ask a repository admin for access, or pick an environment for a repository you can read.",
    },
    {
      name: "a member without Codex cloud",
      event: pullRequest({ author: "carol-gh" }),
      people: people("carol"),
      permission: "write",
      plan: "skip ACCESS_DENIED (github:carol-gh recorded): NO_ROLE_PERMISSION: Your roles don't include Codex cloud, which you need to request code reviews. Ask a workspace admin to add you to a group whose role allows Codex cloud (the hub's Roles page (/roles)).",
    },
    {
      name: "an outside contributor: the workspace's own review, as its owner, with the installation's read",
      event: pullRequest({ author: "stranger" }),
      people: people(null),
      plan: "review opened for dave as github:stranger (workspace review) (read) in env-web",
    },
    {
      name: "an outside contributor in a workspace with no active owner",
      event: pullRequest({ author: "stranger" }),
      people: people(null, false, (s) => {
        for (const m of s.members) m.isOwner = false;
      }),
      plan: "skip NO_OWNER: the workspace has no active owner to answer for its reviews",
    },
    {
      name: "a repository no environment uses",
      event: { ...pullRequest(), repository: { id: 2, fullName: "acme/other", isPrivate: true } },
      people: people("alice"),
      permission: "write",
      plan: "skip ACCESS_DENIED (github:Alice-GH recorded): ENV_NOT_FOUND: No environment was chosen. Pick the environment (repository) Codex should work in (the ones you may use are on the hub's Environments page (/environments)), then try again.",
    },
  ];

  it.each(cases)("$name", (c) => {
    const ctx: PullRequestContext = {
      scope: scoped(c.scope),
      ...(c.people ? { people: c.people } : {}),
      ...(c.permission !== undefined ? { authorPermission: c.permission } : {}),
    };
    expect(pullRequestSummary(planPullRequest(c.event ?? pullRequest(), ctx))).toBe(c.plan);
  });

  it("records the decision with the request GitHub's answer went into", () => {
    const plan = planPullRequest(pullRequest(), {
      scope: scoped(),
      people: people("alice"),
      authorPermission: "write",
    });
    expect(plan).toMatchObject({
      kind: "review",
      access: {
        actor: "github:Alice-GH",
        target: "acme/web#5@a1b2c3d",
        request: {
          actor: { memberId: "alice", platform: "github", platformUserId: "Alice-GH" },
          surface: "github",
          action: "review.request",
          environmentId: "env-web",
          repoPermission: "write",
          githubLinked: true,
        },
        decision: { allowed: true },
      },
    });
  });
});

// ---- @codex on pull request comments ----

function comment(body: string, over: Partial<CommentEvent> = {}): CommentEvent {
  return {
    source: "issue_comment",
    installationId: 7,
    repository: { id: 1, fullName: REPO, isPrivate: true },
    sender: actor("Alice-GH"),
    prNumber: 5,
    comment: { id: 900, body, htmlUrl: "https://github.test/c/900", inReplyToId: null, path: null },
    ...over,
  };
}

describe("planComment", () => {
  it.each(OUT_OF_SCOPE)("ignores a comment from $name", ({ scope, outcome }) => {
    expect(planComment(comment("@codex review"), scope)).toEqual({ kind: "ignore", outcome });
  });

  const reply = (body: string, inReplyToId: number | null) =>
    comment(body, {
      source: "review_comment",
      comment: { id: 901, body, htmlUrl: "https://github.test/c/901", inReplyToId, path: "src/app.js" },
    });

  it.each([
    {
      name: "written by this App",
      event: comment("@codex review", { sender: actor(APP, true) }),
      plan: `ignored (SENDER_IS_APP): ${APP} is this App; its own events are ignored`,
    },
    {
      name: "written by a bot nobody allowed",
      event: comment("@codex review", { sender: actor("renovate[bot]", true) }),
      plan: "ignored (SENDER_IS_BOT): renovate[bot] is a bot that is not allow-listed",
    },
    {
      name: "written by an allowed bot",
      event: comment("@codex review", { sender: actor("renovate[bot]", true) }),
      scope: { allowedBots: ["renovate[bot]"] },
      plan: "listen: review",
    },
    { name: "a conversation comment without a request", event: comment("LGTM"), plan: "listen: nothing" },
    { name: "a quoted request", event: comment("> @codex review\n\nAgreed"), plan: "listen: nothing" },
    { name: "@codex review", event: comment("@codex review the auth"), plan: "listen: review (the auth)" },
    { name: "@codex <task>", event: comment("@codex fix the typo"), plan: "listen: task (fix the typo)" },
    {
      name: "the App's own handle when installed under another name",
      event: comment("@acme-codex fix it"),
      scope: { appLogin: "acme-codex[bot]" },
      plan: "listen: task (fix it)",
    },
    {
      name: "another handle where the App is called codex",
      event: comment("@acme-codex fix it"),
      plan: "listen: nothing",
    },
    {
      name: "a reply in a review thread",
      event: reply("Fixed, thanks", 800),
      plan: "listen: feedback, nothing",
    },
    { name: "a new review comment", event: reply("@codex review", null), plan: "listen: review" },
  ])("$name", ({ event, scope, plan }) => {
    const planned = planComment(event, scoped(scope));
    const summary =
      planned.kind === "ignore"
        ? planned.outcome
        : `listen: ${planned.recordFeedback ? "feedback, " : ""}${
            !planned.mention
              ? "nothing"
              : planned.mention.kind === "review"
                ? `review${planned.mention.focus ? ` (${planned.mention.focus})` : ""}`
                : `task (${planned.mention.prompt})`
          }`;
    expect(summary).toBe(plan);
  });

  it.each(["edited", "deleted"])("ignores a comment %s", (action) => {
    expect(planChangedComment(action)).toEqual({ kind: "ignore", outcome: `ignored: comment ${action}` });
  });
});

function mentionSummary(plan: MentionPlan): string {
  const { decision } = plan.access;
  switch (plan.kind) {
    case "refuse":
      return `refuse ${plan.what} ${decision.code}: ${plan.message}`;
    case "review-off":
      return `review off: ${plan.message}`;
    case "review":
      return `review for ${plan.requesterMemberId} in ${plan.environmentId}${plan.focus ? ` (${plan.focus})` : ""}`;
    case "task": {
      const push = plan.push ? `push ${plan.push.decision.code}` : "push never asked";
      const run = plan.execution
        ? `${plan.execution.canWrite ? "may write" : `no write: ${plan.execution.noWriteReason}`}`
        : "nowhere";
      return `task for ${plan.memberId} in ${plan.environmentId}, ${push}, ${run}`;
    }
  }
}

describe("planMention", () => {
  const context = (over: Partial<MentionContext> & { fork?: boolean } = {}): MentionContext => {
    const { fork, ...rest } = over;
    return {
      scope: scope(),
      pr: { ...pullRequest().pr, headRepoFullName: fork ? "someone/web" : REPO },
      snapshot: snapshot(),
      memberId: "alice",
      permission: "write",
      ...rest,
    };
  };
  const plan = (body: string, ctx: MentionContext, event = comment(body)) =>
    mentionSummary(planMention(event, parseGithubMention(body)!, ctx));

  it.each([
    {
      name: "review by someone Codex does not know",
      body: "@codex review",
      ctx: context({ memberId: null, permission: null }),
      event: comment("@codex review", { sender: actor("stranger") }),
      plan: `refuse review UNKNOWN_ACTOR: Codex doesn't know the GitHub account @stranger in this workspace, so it can't act on requests from it. If you are a member, connect your GitHub account (ask Codex in Slack and follow its "Connect GitHub" link), or ask a workspace admin to map your login to your member account; then ask again.`,
    },
    {
      name: "review on a repository no environment uses",
      body: "@codex review",
      event: comment("@codex review", { repository: { id: 2, fullName: "acme/other", isPrivate: true } }),
      plan: "refuse review ENV_NOT_FOUND: No Codex environment uses acme/other yet, so Codex can't work on it. Ask a workspace admin to create one, then ask again.",
    },
    {
      name: "review by a member GitHub says has no access",
      body: "@codex review",
      ctx: context({ permission: "none" }),
      plan: "refuse review REPO_NO_ACCESS: GitHub says you don't have access to acme/web. Ask a repository admin for access, or pick an environment for a repository you can read.",
    },
    {
      name: "review where the repository's reviews are off",
      body: "@codex review",
      ctx: context({ scope: scope({ settings: settings({ reviewEnabled: false }) }) }),
      plan: "review off: Code review is turned off for acme/web. A workspace admin can turn it on in the repository's review settings.",
    },
    {
      name: "review, with a focus",
      body: "@codex review the error handling",
      plan: "review for alice in env-web (the error handling)",
    },
    {
      name: "review of a fork's pull request",
      body: "@codex review",
      ctx: context({ fork: true }),
      plan: "review for alice in env-web",
    },
    {
      name: "task by someone Codex does not know",
      body: "@codex fix it",
      ctx: context({ memberId: null, permission: null }),
      event: comment("@codex fix it", { sender: actor("stranger") }),
      plan: `refuse task UNKNOWN_ACTOR: Codex doesn't know the GitHub account @stranger in this workspace, so it can't act on requests from it. If you are a member, connect your GitHub account (ask Codex in Slack and follow its "Connect GitHub" link), or ask a workspace admin to map your login to your member account; then ask again.`,
    },
    {
      name: "task by a member without Codex cloud",
      body: "@codex fix it",
      ctx: context({ memberId: "carol" }),
      plan: "refuse task NO_ROLE_PERMISSION: Your roles don't include Codex cloud, which you need to run Codex tasks. Ask a workspace admin to add you to a group whose role allows Codex cloud (the hub's Roles page (/roles)).",
    },
    {
      name: "task by a member with write access",
      body: "@codex fix it",
      plan: "task for alice in env-web, push ALLOWED, may write",
    },
    {
      name: "task by a member who may only read",
      body: "@codex fix it",
      ctx: context({ permission: "read" }),
      plan: "task for alice in env-web, push REPO_NO_WRITE, no write: GitHub says you can read acme/web but not write to it, so Codex can't open or push a pull request for you. Ask a repository admin for write access; tasks and reviews still work.",
    },
    {
      name: "task on a fork's pull request",
      body: "@codex fix it",
      ctx: context({ fork: true }),
      plan: "task for alice in env-web, push never asked, no write: the pull request comes from a fork, and Codex never pushes to forks",
    },
  ])("$name", ({ body, ctx, event, plan: expected }) => {
    expect(plan(body, ctx ?? context(), event)).toBe(expected);
  });

  it("gives the task its environment's internet access (for a member allowed it) and their sandbox modes", () => {
    const body = "@codex fix it";
    const planned = planMention(comment(body), parseGithubMention(body)!, context({ memberId: "frank" }));
    expect(planned).toMatchObject({
      kind: "task",
      prompt: "fix it",
      fromFork: false,
      execution: {
        id: "env-web",
        repository: REPO,
        internet: { mode: "allowlist", domains: ["registry.npmjs.org"], methods: ["GET", "HEAD"] },
        allowedSandboxModes: ["workspace-write"],
        canWrite: true,
      },
    });
  });
});

// ---- Installations ----

function installation(action: string, over: Partial<InstallationEvent> = {}): InstallationEvent {
  return {
    action,
    installationId: 7,
    appSlug: "codex-hub",
    account: { login: "acme", id: 3, type: "Organization" },
    sender: actor("octo-olga"),
    repositoriesAdded: [],
    repositoriesRemoved: [],
    ...over,
  };
}

const repo = (id: number) => ({ id, fullName: `acme/r${id}`, isPrivate: false });

describe("planInstallation", () => {
  const linked: InstallationContext = { linkedWorkspaceId: "ws-1", workspaceIds: [] };
  it.each<{ name: string; event: InstallationEvent; ctx: InstallationContext; plan: object }>([
    {
      name: "created in a hub with one workspace: linked to it",
      event: installation("created", { repositoriesAdded: [repo(1), repo(2)] }),
      ctx: { linkedWorkspaceId: null, workspaceIds: ["ws-1"] },
      plan: {
        status: "active",
        removeRepositories: [],
        link: { kind: "link", workspaceId: "ws-1" },
        workspaceId: "ws-1",
        outcome: "github installation 7 created (+2/-0 repositories); linked to workspace ws-1",
      },
    },
    {
      name: "created in a hub with two workspaces: waits for an admin",
      event: installation("created"),
      ctx: { linkedWorkspaceId: null, workspaceIds: ["ws-1", "ws-2"] },
      plan: {
        status: "active",
        link: { kind: "keep" },
        workspaceId: null,
        outcome: "github installation 7 created; not linked: 2 workspaces, an admin must claim it",
      },
    },
    {
      name: "repositories added and removed on a linked installation",
      event: installation("removed", { repositoriesRemoved: [repo(4), repo(5)] }),
      ctx: linked,
      plan: {
        status: undefined,
        removeRepositories: [4, 5],
        link: { kind: "keep" },
        workspaceId: "ws-1",
        outcome: "github installation 7 removed (+0/-2 repositories)",
      },
    },
    {
      name: "suspended",
      event: installation("suspend"),
      ctx: linked,
      plan: { status: "suspended", link: { kind: "keep" }, outcome: "github installation 7 suspend" },
    },
    {
      name: "unsuspended",
      event: installation("unsuspend"),
      ctx: linked,
      plan: { status: "active", outcome: "github installation 7 unsuspend" },
    },
    {
      name: "new permissions accepted",
      event: installation("new_permissions_accepted"),
      ctx: linked,
      plan: { status: "active", outcome: "github installation 7 new_permissions_accepted" },
    },
    {
      name: "deleted while linked: unlinked, every repository removed",
      event: installation("deleted"),
      ctx: linked,
      plan: {
        status: "deleted",
        removeRepositories: "all",
        link: { kind: "unlink", workspaceId: "ws-1" },
        workspaceId: "ws-1",
        outcome: "github installation 7 deleted; unlinked from workspace ws-1",
      },
    },
    {
      name: "deleted before any workspace claimed it",
      event: installation("deleted"),
      ctx: { linkedWorkspaceId: null, workspaceIds: [] },
      plan: {
        status: "deleted",
        removeRepositories: "all",
        link: { kind: "keep" },
        workspaceId: null,
        outcome: "github installation 7 deleted",
      },
    },
  ])("$name", ({ event, ctx, plan }) => {
    expect(planInstallation(event, ctx)).toMatchObject(plan);
  });
});
