import { describe, expect, it } from "vitest";
import { type IndexedSnapshot, indexSnapshot } from "../../src/access/snapshot-index";
import type { WorkspaceSnapshot } from "../../src/access/types";
import { NO_ENVIRONMENTS_MESSAGE } from "../../src/routing/mention";
import type { IssueDetails, TeamState } from "../../src/surfaces/linear/issues";
import type { CommentEvent, DelegationEvent, SessionEvent } from "../../src/surfaces/linear/listeners";
import {
  type CommentContext,
  confirmStop,
  type DelegationContext,
  openSession,
  planComment,
  planDelegation,
  planSession,
  planStop,
  type SessionContext,
  type StopContext,
  sessionSource,
} from "../../src/surfaces/linear/plan";
import { authorizeRun, planRun, type RunContext, type RunPlan } from "../../src/surfaces/linear/plan-run";
import {
  ACK_THOUGHT,
  ENVIRONMENT_GONE,
  FOLLOW_UP_THOUGHT,
  STOPPED_IDLE,
  STOPPED_PENDING,
} from "../../src/surfaces/linear/wording";
import type { Task } from "../../src/tasks/types";
import { baseSnapshot } from "../access/fixture";

// Every branch of the Linear surface's plans, as tables: the event and what was loaded → the plan.

const ORG = "org-1";

function sessionEvent(overrides: Partial<SessionEvent> = {}): SessionEvent {
  return {
    platform: "linear",
    kind: "agent_session",
    deliveryKey: "d-1",
    action: "created",
    organizationId: ORG,
    appUserId: "app-user",
    sessionId: "ses-1",
    issue: { id: "iss-1", identifier: "ENG-1", title: "Fix login", teamId: "team-1", url: "https://l/ENG-1" },
    creatorId: "L-ALICE",
    promptContext: null,
    prompt: null,
    activityId: null,
    ...overrides,
  };
}

const prompted = (prompt: string, extra: Partial<SessionEvent> = {}) =>
  sessionEvent({ action: "prompted", prompt, activityId: "act-1", promptContext: null, ...extra });

const issue = (overrides: Partial<IssueDetails> = {}): IssueDetails => ({
  id: "iss-1",
  identifier: "ENG-1",
  title: "Fix login",
  description: "It fails on CI.",
  url: "https://l/ENG-1",
  teamId: "team-1",
  stateId: "st-todo",
  stateType: "unstarted",
  labels: [],
  ...overrides,
});

/** The access fixture's workspace, with one more environment every member sees (`api`, acme/api). */
function snapshot(edit: (s: WorkspaceSnapshot) => void = () => {}): IndexedSnapshot {
  const s = baseSnapshot();
  s.environments.push({
    id: "env-api",
    name: "api",
    description: "API",
    repository: "acme/api",
    visibility: "workspace",
    creatorId: "gina",
    collaboratorIds: [],
    internet: { mode: "off" },
  });
  edit(s);
  return indexSnapshot(s);
}

const ENV = {
  api: { id: "env-api", name: "api", repository: "acme/api" },
  secret: { id: "env-secret", name: "secret", repository: "acme/secret" },
  web: { id: "env-web", name: "web", repository: "acme/web" },
};

describe("openSession", () => {
  it.each([
    {
      name: "our own activity, prompted back",
      event: prompted("hi"),
      own: true,
      plan: { kind: "ignore", outcome: "ignored: an activity Codex wrote itself" },
    },
    {
      name: "our own activity carrying stop",
      event: prompted("", { signal: "stop" }),
      own: true,
      plan: { kind: "ignore", outcome: "ignored: an activity Codex wrote itself" },
    },
    {
      name: "Linear's stop signal",
      event: prompted("", { signal: "stop" }),
      own: false,
      plan: { kind: "stop" },
    },
    {
      name: "a new session: acknowledged once per session",
      event: sessionEvent(),
      own: false,
      plan: { kind: "acknowledge", thought: ACK_THOUGHT, key: "ack:ses-1" },
    },
    {
      name: "a follow-up: acknowledged once per delivery",
      event: prompted("more"),
      own: false,
      plan: { kind: "acknowledge", thought: FOLLOW_UP_THOUGHT, key: "ack:row-9" },
    },
  ])("$name", ({ event, own, plan }) => {
    expect(openSession(event, "row-9", own)).toEqual(plan);
  });
});

describe("sessionSource", () => {
  const session = { state: "starting" as const, pending: null, taskId: null, environmentId: null };
  it.each([
    {
      name: "created, whatever the row says",
      event: sessionEvent(),
      row: { ...session, taskId: "t-1" },
      kind: "new",
    },
    {
      name: "an answer while waiting for an environment",
      event: prompted("api"),
      row: { ...session, state: "awaiting_environment" as const, pending: "{}" },
      kind: "answer",
    },
    {
      name: "waiting, but nothing pending: a follow-up of its task",
      event: prompted("api"),
      row: { ...session, state: "awaiting_environment" as const, taskId: "t-1" },
      kind: "follow-up",
    },
    {
      name: "a follow-up of the session's task",
      event: prompted("more"),
      row: { ...session, taskId: "t-1" },
      kind: "follow-up",
    },
    { name: "prompted before any task", event: prompted("go"), row: session, kind: "new" },
  ])("$name → $kind", ({ event, row, kind }) => {
    expect(sessionSource(event, row).kind).toBe(kind);
  });
});

describe("planSession", () => {
  const linked = (overrides: Partial<Extract<SessionContext, { linked: true }>> = {}): SessionContext => ({
    linked: true,
    workspaceId: "ws-1",
    session: { state: "starting", pending: null, taskId: null, environmentId: null },
    snapshot: snapshot(),
    previous: null,
    issue: null,
    ...overrides,
  });
  const pending = {
    title: "ENG-1 Fix login",
    prompt: "fix it",
    text: "fix it",
    labels: ["bug"],
    teamId: "team-1",
    context: { linearIssue: "ENG-1" },
    options: ["env-api", "env-web", "env-gone"],
  };
  const awaiting = {
    state: "awaiting_environment" as const,
    pending: JSON.stringify(pending),
    taskId: null,
    environmentId: null,
  };
  const { options: _offered, ...pendingRequest } = pending;

  it("refuses in an organization no workspace is linked to", () => {
    expect(planSession(sessionEvent(), { linked: false })).toEqual({
      kind: "unlinked",
      outcome: "denied: Linear organization org-1 is not linked to a workspace",
    });
  });

  it.each([
    { reply: "api please", environmentId: "env-api" },
    { reply: "env:web", environmentId: "env-web" },
    { reply: "acme/api.", environmentId: "env-api" },
  ])("runs the waiting request where the answer “$reply” says", ({ reply, environmentId }) => {
    expect(planSession(prompted(reply), linked({ session: awaiting }))).toEqual({
      kind: "run",
      workspaceId: "ws-1",
      request: pendingRequest,
      environmentId,
    });
  });

  it.each(["somewhere", "api or web"])(
    "asks again, offering what is still there, when the answer “%s” names none or several",
    (reply) => {
      expect(planSession(prompted(reply), linked({ session: awaiting }))).toEqual({
        kind: "ask-again",
        options: [ENV.api, ENV.web],
        message: `I couldn't tell which environment “${reply}” means. Which one should I use?`,
      });
    },
  );

  it("continues a task in its environment, told the previous request and answer", () => {
    const previous = {
      title: "ENG-1 Fix login",
      prompt: "fix it",
      answer: "Fixed.",
      error: null,
      context: { linearIssue: "ENG-1 …" },
    } as unknown as Task;
    const plan = planSession(
      prompted("  add a test  "),
      linked({
        session: { state: "working", pending: null, taskId: "t-1", environmentId: "env-web" },
        previous,
      }),
    );
    expect(plan).toEqual({
      kind: "run",
      workspaceId: "ws-1",
      environmentId: "env-web",
      request: {
        title: "Follow-up: ENG-1 Fix login",
        prompt: "add a test",
        text: "add a test",
        labels: [],
        teamId: "team-1",
        context: { linearIssue: "ENG-1 …", previousRequest: "fix it", previousAnswer: "Fixed." },
      },
    });
  });

  it("continues with what it has when the previous task is gone", () => {
    const plan = planSession(
      prompted(""),
      linked({ session: { state: "working", pending: null, taskId: "t-1", environmentId: null } }),
    );
    expect(plan).toMatchObject({
      kind: "run",
      environmentId: null,
      request: {
        title: "Continue.",
        prompt: "Continue.",
        context: { previousRequest: null, previousAnswer: null },
      },
    });
  });

  it("starts a new request from the directive in the prompt context and the issue Linear reads", () => {
    const promptContext =
      '<issue identifier="ENG-1"/><primary-directive-thread><comment>first</comment><comment> @codex fix it </comment></primary-directive-thread>';
    const plan = planSession(
      sessionEvent({ promptContext }),
      linked({ issue: issue({ labels: ["repo:acme/api"], teamId: "team-2" }) }),
    );
    expect(plan).toEqual({
      kind: "run",
      workspaceId: "ws-1",
      environmentId: null,
      request: {
        title: "ENG-1 Fix login",
        prompt: "@codex fix it",
        text: `@codex fix it\n\n${promptContext}\n\nFix login\n\nIt fails on CI.`,
        labels: ["repo:acme/api"],
        teamId: "team-2",
        context: { linearIssue: promptContext, linearIssueUrl: "https://l/ENG-1" },
      },
    });
  });

  it.each([
    {
      name: "no directive and no issue read: the issue the event names",
      event: sessionEvent(),
      issue: null,
      request: {
        title: "ENG-1 Fix login",
        prompt: "Work on the Linear issue ENG-1.",
        teamId: "team-1",
        context: { linearIssue: null, linearIssueUrl: "https://l/ENG-1" },
      },
    },
    {
      name: "no issue at all",
      event: sessionEvent({ issue: null }),
      issue: null,
      request: { title: "Linear request", prompt: "Work on this Linear issue.", teamId: null },
    },
    {
      name: "prompted before any task: the prompt is the request",
      event: prompted("Refactor the login form\nplease"),
      issue: issue({ description: null }),
      request: {
        title: "ENG-1 Fix login",
        prompt: "Refactor the login form\nplease",
        context: { linearIssue: "ENG-1 Fix login\n\n", linearIssueUrl: "https://l/ENG-1" },
      },
    },
  ])("new request, $name", ({ event, issue: read, request }) => {
    expect(planSession(event, linked({ issue: read }))).toMatchObject({ kind: "run", request });
  });
});

describe("planRun", () => {
  const ctx = (overrides: Partial<RunContext> = {}): RunContext => ({
    snapshot: snapshot(),
    linearUserId: "L-ALICE",
    memberId: "alice",
    teamDefaultEnvId: null,
    ...overrides,
  });
  const check = (
    environment: (typeof ENV)[keyof typeof ENV],
    memberId = "alice",
    githubLogin: string | null = "Alice-GH",
  ) => expect.objectContaining({ kind: "check", memberId, environment, githubLogin });

  it.each<{ name: string; ctx: RunContext; want: Parameters<typeof planRun>[1]; plan: unknown }>([
    {
      name: "an unknown Linear user is refused before any question",
      ctx: ctx({ memberId: null, linearUserId: "L-NOBODY" }),
      want: { text: "", labels: [] },
      plan: expect.objectContaining({
        kind: "refuse",
        memberId: null,
        decision: expect.objectContaining({ code: "UNKNOWN_ACTOR" }),
      }),
    },
    {
      name: "a member the Linear app is not open to is refused, whatever the environment",
      ctx: ctx({ memberId: "carol", linearUserId: "L-CAROL" }),
      want: { text: "env:web", labels: [] },
      plan: expect.objectContaining({
        kind: "refuse",
        memberId: "carol",
        decision: expect.objectContaining({ allowed: false }),
      }),
    },
    {
      name: "a Linear user not resolved to a member is refused, even when the snapshot knows the identity",
      ctx: ctx({ memberId: null }),
      want: { text: "", labels: [] },
      plan: expect.objectContaining({
        kind: "refuse",
        memberId: null,
        // Allowed so far but for the environment: the refusal is that no member was resolved.
        decision: expect.objectContaining({ code: "ENV_NOT_FOUND" }),
      }),
    },
    {
      name: "the environment picked earlier, still usable",
      ctx: ctx(),
      want: { text: "env:api", labels: [], environmentId: "env-web" },
      plan: check(ENV.web),
    },
    {
      name: "the environment picked earlier, gone: ask among the usable ones",
      ctx: ctx(),
      want: { text: "", labels: [], environmentId: "env-gone" },
      plan: {
        kind: "ask",
        memberId: "alice",
        options: [ENV.api, ENV.secret, ENV.web],
        message: ENVIRONMENT_GONE,
      },
    },
    {
      name: "the environment picked earlier, and none usable any more",
      ctx: ctx({ snapshot: snapshot((s) => (s.environments = [])) }),
      want: { text: "", labels: [], environmentId: "env-web" },
      plan: { kind: "none", memberId: "alice", message: NO_ENVIRONMENTS_MESSAGE },
    },
    {
      name: "no environment the member may use",
      ctx: ctx({ snapshot: snapshot((s) => (s.environments = [])) }),
      want: { text: "", labels: [] },
      plan: { kind: "none", memberId: "alice", message: NO_ENVIRONMENTS_MESSAGE },
    },
    {
      name: "named in the request",
      ctx: ctx({ teamDefaultEnvId: "env-web" }),
      want: { text: "please use env:api", labels: ["repo:acme/web"] },
      plan: check(ENV.api),
    },
    {
      name: "a repository named in the request",
      ctx: ctx(),
      want: { text: "fix acme/secret", labels: [] },
      plan: check(ENV.secret),
    },
    {
      name: "a name that is not one the member may use: refused, never replaced",
      ctx: ctx({ memberId: "gina", linearUserId: "L-GINA" }),
      want: { text: "env:secret", labels: [] },
      plan: {
        kind: "none",
        memberId: "gina",
        message: "No environment named “secret” is available to you.",
        nextStep: "Environments you can use: api, web. Mention @codex again with `env:<name>` to pick one.",
      },
    },
    {
      name: "a repository label on the issue, before the team's default",
      ctx: ctx({ teamDefaultEnvId: "env-web" }),
      want: { text: "fix it", labels: ["bug", "repo:acme/api"] },
      plan: check(ENV.api),
    },
    {
      name: "a label equal to an environment's name",
      ctx: ctx(),
      want: { text: "fix it", labels: ["Secret"] },
      plan: check(ENV.secret),
    },
    {
      name: "the team's default",
      ctx: ctx({ teamDefaultEnvId: "env-web" }),
      want: { text: "fix it", labels: [] },
      plan: check(ENV.web),
    },
    {
      name: "the member's only environment",
      ctx: ctx({
        snapshot: snapshot((s) => (s.environments = s.environments.filter((e) => e.id === "env-web"))),
      }),
      want: { text: "fix it", labels: [] },
      plan: check(ENV.web),
    },
    {
      name: "several and nothing to choose by: ask, offering only the member's",
      ctx: ctx({ memberId: "gina", linearUserId: "L-GINA" }),
      want: { text: "fix it", labels: [] },
      plan: {
        kind: "ask",
        memberId: "gina",
        options: [ENV.api, ENV.web],
        message: "Which environment should I use?",
      },
    },
    {
      name: "a member without a GitHub login: checked with none (GitHub cannot vouch)",
      ctx: ctx({
        memberId: "dave",
        linearUserId: "L-DAVE",
        snapshot: snapshot((s) => openLinearApp(s, "dave")),
      }),
      want: { text: "env:web", labels: [] },
      plan: check(ENV.web, "dave", null),
    },
  ])("$name", ({ ctx, want, plan }) => {
    expect(planRun(ctx, want)).toEqual(plan);
  });

  const checked = planRun(ctx(), { text: "env:web", labels: [] }) as Extract<RunPlan, { kind: "check" }>;
  it.each([
    { permission: "write" as const, kind: "start", code: "ALLOWED" },
    { permission: "read" as const, kind: "start", code: "ALLOWED" },
    { permission: "none" as const, kind: "refuse" },
    { permission: null, kind: "refuse" },
  ])("GitHub says $permission → $kind", ({ permission, kind, code }) => {
    const authorized = authorizeRun(snapshot(), checked, permission);
    expect(authorized).toMatchObject({ kind, memberId: "alice" });
    expect(authorized.request).toMatchObject({ environmentId: "env-web", repoPermission: permission });
    expect(authorized.decision.allowed).toBe(kind === "start");
    if (code) expect(authorized.decision.code).toBe(code);
    if (authorized.kind === "start") {
      expect(authorized).toMatchObject({ environment: ENV.web, repoPermission: permission });
    }
  });
});

/** Opens the fixture's Linear app (assigned to Codex Users) to one more member. */
function openLinearApp(s: WorkspaceSnapshot, memberId: string): void {
  const app = s.apps.find((a) => a.id === "app-linear");
  if (app?.access.type === "assigned") app.access.memberIds.push(memberId);
}

describe("planComment", () => {
  const comment = (overrides: Partial<CommentEvent> = {}): CommentEvent => ({
    platform: "linear",
    kind: "comment",
    deliveryKey: "d-2",
    action: "create",
    organizationId: ORG,
    commentId: "cmt-1",
    issueId: "iss-1",
    parentId: null,
    userId: "L-ALICE",
    body: "@codex, fix the login test",
    botActorId: null,
    ...overrides,
  });
  const ctx = (overrides: Partial<CommentContext> = {}): CommentContext => ({
    ownComment: false,
    workspaceId: "ws-1",
    agentSessions: false,
    hubUserId: "L-CODEX",
    issue: null,
    ...overrides,
  });
  const ignored = (outcome: string) => ({ kind: "ignore", outcome });

  it.each([
    {
      name: "an edit",
      event: comment({ action: "update" }),
      ctx: ctx(),
      plan: ignored("ignored: comment update"),
    },
    {
      name: "our own reply",
      event: comment(),
      ctx: ctx({ ownComment: true }),
      plan: ignored("ignored: a comment Codex wrote itself"),
    },
    {
      name: "an app's comment",
      event: comment({ botActorId: "bot-1" }),
      ctx: ctx(),
      plan: ignored("ignored: written by an app"),
    },
    {
      name: "no mention",
      event: comment({ body: "Looks good, codex@acme.test" }),
      ctx: ctx(),
      plan: ignored("ignored: Codex is not mentioned"),
    },
    {
      name: "not on an issue",
      event: comment({ issueId: null }),
      ctx: ctx(),
      plan: ignored("ignored: the comment is not on an issue"),
    },
    {
      name: "an organization linked to no workspace",
      event: comment(),
      ctx: ctx({ workspaceId: null }),
      plan: ignored("ignored: Linear organization org-1 is not linked to a workspace"),
    },
    {
      name: "an app installation (its agent session carries the work)",
      event: comment(),
      ctx: ctx({ agentSessions: true }),
      plan: ignored("ignored: the agent session Linear opens for this mention carries the work"),
    },
    {
      name: "written by Codex's own user",
      event: comment({ userId: "L-CODEX" }),
      ctx: ctx(),
      plan: ignored("ignored: a comment Codex wrote itself"),
    },
    {
      name: "a mention: answered in its own thread",
      event: comment(),
      ctx: ctx(),
      plan: {
        kind: "run",
        workspaceId: "ws-1",
        reply: { organizationId: ORG, issueId: "iss-1", threadId: "cmt-1" },
        prompt: "fix the login test",
        target: "linear:comment:cmt-1",
      },
    },
    {
      name: "a bare mention in a reply: answered under the thread's first comment",
      event: comment({ body: "@codex", parentId: "cmt-0", userId: null }),
      ctx: ctx({ hubUserId: null }),
      plan: {
        kind: "run",
        workspaceId: "ws-1",
        reply: { organizationId: ORG, issueId: "iss-1", threadId: "cmt-0" },
        prompt: "Work on this issue.",
        target: "linear:comment:cmt-1",
      },
    },
  ])("$name", ({ event, ctx, plan }) => {
    expect(planComment(event, ctx)).toEqual(plan);
  });
});

describe("planDelegation", () => {
  const delegation = (overrides: Partial<DelegationEvent> = {}): DelegationEvent => ({
    platform: "linear",
    kind: "issue_delegated",
    deliveryKey: "d-3",
    organizationId: ORG,
    issueId: "iss-1",
    teamId: "team-1",
    actorId: "L-ALICE",
    delegateId: "L-CODEX",
    assigneeId: null,
    ...overrides,
  });
  const states: TeamState[] = [
    { id: "st-todo", name: "Todo", type: "unstarted", position: 1 },
    { id: "st-review", name: "In Review", type: "started", position: 3 },
    { id: "st-progress", name: "In Progress", type: "started", position: 2 },
  ];
  const ctx = (overrides: Partial<DelegationContext> = {}): DelegationContext => ({
    workspaceId: "ws-1",
    hubUserId: "L-CODEX",
    issue: issue(),
    states,
    agentSessions: false,
    ...overrides,
  });
  const run = {
    kind: "run",
    reply: { organizationId: ORG, issueId: "iss-1", threadId: null },
    prompt: "Work on the Linear issue ENG-1: Fix login.\n\nIt fails on CI.",
    target: "linear:issue:iss-1",
  };
  const toProgress = { issue: issue(), state: states[2] };

  it.each([
    {
      name: "no workspace",
      event: delegation(),
      ctx: ctx({ workspaceId: null }),
      plan: { kind: "ignore", outcome: "ignored: Linear organization org-1 is not linked to a workspace" },
    },
    {
      name: "Codex's user unknown",
      event: delegation(),
      ctx: ctx({ hubUserId: null }),
      plan: { kind: "ignore", outcome: "ignored: Linear did not say which user Codex is" },
    },
    {
      name: "delegated to someone else",
      event: delegation({ delegateId: "other-agent", assigneeId: "L-BOB" }),
      ctx: ctx(),
      plan: { kind: "ignore", outcome: "ignored: the issue is delegated to someone else" },
    },
    {
      name: "Codex's own change",
      event: delegation({ actorId: "L-CODEX" }),
      ctx: ctx(),
      plan: { kind: "ignore", outcome: "ignored: Codex changed the issue itself" },
    },
    {
      name: "delegated: moved to the first started state, then run",
      event: delegation(),
      ctx: ctx(),
      plan: { kind: "delegated", workspaceId: "ws-1", move: toProgress, work: run },
    },
    {
      name: "assigned rather than delegated",
      event: delegation({ delegateId: null, assigneeId: "L-CODEX" }),
      ctx: ctx(),
      plan: { kind: "delegated", workspaceId: "ws-1", move: toProgress, work: run },
    },
    {
      name: "an app installation: moved, and its session carries the work",
      event: delegation(),
      ctx: ctx({ agentSessions: true }),
      plan: { kind: "delegated", workspaceId: "ws-1", move: toProgress, work: { kind: "session" } },
    },
    {
      name: "already started: left where it is",
      event: delegation(),
      ctx: ctx({ issue: issue({ stateId: "st-review", stateType: "started" }) }),
      plan: { kind: "delegated", move: null },
    },
    {
      name: "done: never moved back",
      event: delegation(),
      ctx: ctx({ issue: issue({ stateType: "completed" }) }),
      plan: { kind: "delegated", move: null },
    },
    {
      name: "already in the first started state",
      event: delegation(),
      ctx: ctx({ issue: issue({ stateId: "st-progress", stateType: null }) }),
      plan: { kind: "delegated", move: null },
    },
    {
      name: "a team without a started state",
      event: delegation(),
      ctx: ctx({ states: states.slice(0, 1) }),
      plan: { kind: "delegated", move: null },
    },
    {
      name: "an issue without a team",
      event: delegation(),
      ctx: ctx({ issue: issue({ teamId: null }) }),
      plan: { kind: "delegated", move: null },
    },
    {
      name: "an issue Linear would not read: run on what the webhook said",
      event: delegation(),
      ctx: ctx({ issue: null }),
      plan: { kind: "delegated", move: null, work: { ...run, prompt: "Work on the Linear issue iss-1." } },
    },
  ])("$name", ({ event, ctx, plan }) => {
    expect(planDelegation(event, ctx)).toMatchObject(plan);
  });
});

describe("planStop and confirmStop", () => {
  const stop = (creatorId: string | null = "L-ALICE") => prompted("", { signal: "stop", creatorId });
  const task = (id: string, requesterMemberId: string) => ({ id, requesterMemberId, status: "running" });
  const ctx = (overrides: Partial<StopContext> = {}): StopContext => ({
    session: { workspaceId: "ws-1", state: "working", pending: null },
    active: [],
    stopperMemberId: null,
    ...overrides,
  });

  it.each([
    {
      name: "a session that never started anything here",
      event: stop(),
      ctx: ctx({ session: null }),
      plan: { kind: "idle", say: STOPPED_IDLE, outcome: "stopped: nothing was running" },
    },
    {
      name: "the requester stops their own task; another's is cancelled on the workspace's behalf",
      event: stop(),
      ctx: ctx({ active: [task("t-1", "alice"), task("t-2", "bob")], stopperMemberId: "alice" }),
      plan: {
        kind: "halt",
        workspaceId: "ws-1",
        cancel: [
          { task: task("t-1", "alice"), by: { memberId: "alice" } },
          { task: task("t-2", "bob"), by: { admin: true } },
        ],
        actor: "member:alice",
        wasPending: false,
      },
    },
    {
      name: "a stopper who is no member, while a request waits for an environment",
      event: stop("L-STRANGER"),
      ctx: ctx({ session: { workspaceId: "ws-1", state: "awaiting_environment", pending: "{}" } }),
      plan: { kind: "halt", workspaceId: "ws-1", cancel: [], actor: "linear:L-STRANGER", wasPending: true },
    },
    {
      name: "a stop Linear sent without a user",
      event: stop(null),
      ctx: ctx({ active: [task("t-1", "alice")] }),
      plan: {
        kind: "halt",
        cancel: [{ task: task("t-1", "alice"), by: { admin: true } }],
        actor: "linear:unknown",
      },
    },
  ])("$name", ({ event, ctx, plan }) => {
    expect(planStop(event, ctx)).toMatchObject(plan);
  });

  it.each([
    {
      name: "a task cancelled now: its own reply confirms",
      halt: { wasPending: false },
      after: { cancelled: ["t-1", "t-2"], cancelledSinceStop: true },
      confirmation: { say: null, outcome: "stopped: cancelled t-1, t-2" },
    },
    {
      name: "run again after the task was cancelled: nothing more to say",
      halt: { wasPending: false },
      after: { cancelled: [], cancelledSinceStop: true },
      confirmation: { say: null, outcome: "stopped: the session's task was already cancelled" },
    },
    {
      name: "a request waiting for an environment, dropped",
      halt: { wasPending: true },
      after: { cancelled: [], cancelledSinceStop: false },
      confirmation: { say: STOPPED_PENDING, outcome: "stopped: dropped the request awaiting an environment" },
    },
    {
      name: "nothing running",
      halt: { wasPending: false },
      after: { cancelled: [], cancelledSinceStop: false },
      confirmation: { say: STOPPED_IDLE, outcome: "stopped: nothing was running" },
    },
  ])("$name", ({ halt, after, confirmation }) => {
    expect(confirmStop(halt, after)).toEqual(confirmation);
  });
});
