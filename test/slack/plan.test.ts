import { describe, expect, it } from "vitest";
import { indexSnapshot } from "../../src/access/snapshot-index";
import type { RepoPermission, WorkspaceSnapshot } from "../../src/access/types";
import { usableEnvironments } from "../../src/surfaces/slack/environments";
import {
  type MentionAnswers,
  type MentionFacts,
  type MentionPlan,
  planMention,
} from "../../src/surfaces/slack/plan";
import { baseSnapshot } from "../access/fixture";

// What a mention comes to, from what was loaded and nothing else: each row is the facts (who, what they
// wrote, where, the buttons pressed so far, what GitHub said) and the plan, summed up in one line.
// The workspace is the access fixture's (alice: Codex cloud, GitHub "Alice-GH"; carol: no cloud; dave: owner
// without a GitHub login; erin: deactivated) with a third environment, `api` (acme/api), for everyone.

const BOT = "U0CODEX";

interface Case {
  name: string;
  member?: string | null;
  text?: string;
  threadTs?: string;
  botUserId?: string | null;
  answers?: MentionAnswers;
  channelDefault?: string;
  threadEnvironment?: string;
  /** What GitHub said per repository; a repository absent here was not asked yet. */
  github?: Record<string, RepoPermission | null>;
  workspace?: (s: WorkspaceSnapshot) => void;
  plan: string;
}

function snapshot(edit?: (s: WorkspaceSnapshot) => void) {
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
  edit?.(s);
  return indexSnapshot(s);
}

function facts(c: Case): MentionFacts {
  const indexed = snapshot(c.workspace);
  const memberId = c.member === undefined ? "alice" : c.member;
  return {
    pending: {
      type: "mention",
      workspaceId: "ws-1",
      request: {
        teamId: "T1",
        enterpriseId: null,
        channel: "C1",
        userId: "U-ASKER",
        text: c.text ?? `<@${BOT}> fix the flaky login test`,
        ts: "1700000000.000200",
        threadTs: c.threadTs ?? null,
        isExtShared: false,
        botUserId: c.botUserId === undefined ? BOT : c.botUserId,
      },
    },
    answers: c.answers ?? {},
    snapshot: indexed,
    memberId,
    githubLogin: memberId ? indexed.members.get(memberId)?.member.identities.githubLogin : undefined,
    usable: usableEnvironments(indexed, memberId),
    channelDefaultEnvId: c.channelDefault ?? null,
    threadEnvironmentId: c.threadEnvironment ?? null,
    permissions: new Map(Object.entries(c.github ?? {})),
  };
}

/** One line per plan: its kind and what the person would notice of it. */
function summary(plan: MentionPlan | { kind: "need-permissions"; repositories: string[] }): string {
  switch (plan.kind) {
    case "need-permissions":
      return `ask GitHub about ${plan.repositories.join(", ")}`;
    case "refuse":
      return `refuse ${plan.access.decision.code}, suggesting [${plan.usableNames.join(", ")}]`;
    case "no-environment":
      return `no environment ${plan.code}: ${plan.reason} | ${plan.nextStep}`;
    case "ask-request":
      return "ask what to do";
    case "pick":
      return `pick among [${plan.options.map((o) => o.name).join(", ")}]: ${plan.message}`;
    case "confirm":
      return `confirm the write in ${plan.environment.name} for ${plan.appName}`;
    case "start": {
      const write = plan.writeAllowed.allowed ? "may open a PR" : `no PR (${plan.writeAllowed.reason})`;
      return `start in ${plan.environment.name} (${plan.repoPermission ?? "unknown"}), ${write}: "${plan.prompt}"`;
    }
  }
}

const UNKNOWN_STAGING =
  "no environment UNKNOWN_ENVIRONMENT: No environment named “staging” is available to you.";
const PICK_AGAIN = " Mention me again with env:<name> to pick one; `/codex env list` shows them all.";
const ALL_READ = { "acme/web": "read", "acme/api": "read", "acme/secret": "read" } as const;
const confirmWrites = (s: WorkspaceSnapshot) => {
  const github = s.apps.find((a) => a.kind === "github")!;
  github.confirmWrites = true;
};

const cases: Case[] = [
  // Refused before any environment is considered.
  {
    name: "someone who is not a member",
    member: null,
    plan: "refuse UNKNOWN_ACTOR, suggesting []",
  },
  {
    name: "a deactivated member",
    member: "erin",
    plan: "refuse MEMBER_DEACTIVATED, suggesting [api, web]",
  },
  {
    name: "a member without Codex cloud",
    member: "carol",
    plan: "refuse NO_ROLE_PERMISSION, suggesting [api, web]",
  },
  {
    name: "Codex cloud turned off",
    workspace: (s) => {
      s.toggles.codexCloud = false;
    },
    plan: "refuse CLOUD_DISABLED, suggesting [api, secret, web]",
  },
  // What was asked.
  {
    name: "a mention that asks nothing",
    text: `<@${BOT}>`,
    plan: "ask what to do",
  },
  {
    name: "a mention that asks nothing, in a thread: the thread is the request",
    text: `<@${BOT}>`,
    threadTs: "1700000000.000100",
    threadEnvironment: "env-web",
    github: { "acme/web": "write" },
    plan: 'start in web (write), may open a PR: ""',
  },
  {
    name: "the bot unknown: a leading mention is still not part of the request",
    botUserId: null,
    text: "<@U0OTHER> env:web fix it",
    github: { "acme/web": "write" },
    plan: 'start in web (write), may open a PR: "fix it"',
  },
  // Which environment.
  {
    name: "no environment the member may use",
    workspace: (s) => {
      s.environments = [];
    },
    plan: "no environment NO_ENVIRONMENT: No available environments: none is set up for you in this workspace. | Ask a Codex Admin to create an environment for your repository or give you access to one.",
  },
  {
    name: "a name that matches nothing usable, GitHub not asked yet",
    text: `<@${BOT}> fix it env:staging`,
    plan: "ask GitHub about acme/api, acme/secret, acme/web",
  },
  {
    name: "a name that matches nothing usable: the readable ones are suggested",
    text: `<@${BOT}> fix it env:staging`,
    github: { "acme/web": "none", "acme/api": "read", "acme/secret": null },
    plan: `${UNKNOWN_STAGING} | Environments you can use: api, secret.${PICK_AGAIN}`,
  },
  {
    name: "a name that matches nothing usable, and GitHub refuses every other: all are named",
    text: `<@${BOT}> fix it env:staging`,
    github: { "acme/web": "none", "acme/api": "none", "acme/secret": "none" },
    plan: `${UNKNOWN_STAGING} | Environments you can use: api, secret, web.${PICK_AGAIN}`,
  },
  {
    name: "a name that matches nothing usable, without a GitHub login",
    member: "dave",
    text: `<@${BOT}> fix it env:staging`,
    plan: `${UNKNOWN_STAGING} | Environments you can use: api, web.${PICK_AGAIN}`,
  },
  {
    name: "several environments, GitHub not asked yet",
    plan: "ask GitHub about acme/api, acme/secret, acme/web",
  },
  {
    name: "several environments the member can read",
    github: ALL_READ,
    plan: "pick among [api, secret, web]: Which environment should I use?",
  },
  {
    name: "several environments, some GitHub refuses: only the others are offered",
    github: { ...ALL_READ, "acme/secret": "none" },
    plan: "pick among [api, web]: Which environment should I use?",
  },
  {
    name: "several environments, one readable: it is taken",
    github: { "acme/web": "none", "acme/api": "write", "acme/secret": "none" },
    plan: 'start in api (write), may open a PR: "fix the flaky login test"',
  },
  {
    name: "several environments, none readable",
    github: { "acme/web": "none", "acme/api": "none", "acme/secret": "none" },
    plan: "no environment NO_ENVIRONMENT: GitHub gives you access to none of the repositories of the environments you can use. | Ask a repository admin for access, or a Codex Admin for an environment of a repository you can read.",
  },
  {
    name: "several environments, no GitHub login: all are offered (the check then says to connect)",
    member: "dave",
    plan: "pick among [api, web]: Which environment should I use?",
  },
  {
    name: "a repository two environments use",
    text: `<@${BOT}> fix it in acme/web`,
    workspace: (s) => {
      s.environments.push({ ...s.environments[0]!, id: "env-web2", name: "web 2" });
    },
    github: { "acme/web": "read" },
    plan: "pick among [web, web 2]: Several environments use acme/web. Which one?",
  },
  {
    name: "the channel's default, GitHub not asked about its repository yet",
    channelDefault: "env-api",
    plan: "ask GitHub about acme/api",
  },
  {
    name: "the channel's default",
    channelDefault: "env-api",
    github: { "acme/api": "maintain" },
    plan: 'start in api (maintain), may open a PR: "fix the flaky login test"',
  },
  {
    name: "the thread's environment comes before the channel's default",
    channelDefault: "env-api",
    threadEnvironment: "env-web",
    github: { "acme/web": "read" },
    plan: 'start in web (read), no PR (GitHub says you can read acme/web but not write to it, so Codex can\'t open or push a pull request for you. Ask a repository admin for write access; tasks and reviews still work.): "fix the flaky login test"',
  },
  {
    name: "an environment named in the message",
    text: `<@${BOT}> env:secret tidy the README`,
    channelDefault: "env-api",
    github: { "acme/secret": "admin" },
    plan: 'start in secret (admin), may open a PR: "tidy the README"',
  },
  // The member's access to the environment.
  {
    name: "an environment picked with a button",
    answers: { environmentId: "env-web" },
    github: { "acme/web": "write" },
    plan: 'start in web (write), may open a PR: "fix the flaky login test"',
  },
  {
    name: "GitHub refuses the repository: the other environments are suggested",
    answers: { environmentId: "env-web" },
    github: { "acme/web": "none" },
    plan: "refuse REPO_NO_ACCESS, suggesting [api, secret]",
  },
  {
    name: "GitHub could not say",
    answers: { environmentId: "env-web" },
    github: { "acme/web": null },
    plan: "refuse REPO_NO_ACCESS, suggesting [api, secret]",
  },
  {
    name: "no GitHub login",
    member: "dave",
    answers: { environmentId: "env-web" },
    plan: "refuse IDENTITY_UNLINKED, suggesting [api]",
  },
  {
    name: "an environment the member may not see",
    member: "gina",
    answers: { environmentId: "env-secret" },
    github: { "acme/secret": "admin" },
    plan: "refuse ENV_NOT_VISIBLE, suggesting [api, web]",
  },
  {
    name: "an environment deleted since the picker was shown",
    answers: { environmentId: "env-gone" },
    plan: "refuse ENV_NOT_FOUND, suggesting [api, secret, web]",
  },
  // The pull-request write.
  {
    name: "an app that wants writes confirmed",
    answers: { environmentId: "env-web" },
    github: { "acme/web": "write" },
    workspace: confirmWrites,
    plan: "confirm the write in web for Github",
  },
  {
    name: "the write confirmed",
    answers: { environmentId: "env-web", confirmed: true },
    github: { "acme/web": "write" },
    workspace: confirmWrites,
    plan: 'start in web (write), may open a PR: "fix the flaky login test"',
  },
  {
    name: "the write declined: the task runs without it",
    answers: { environmentId: "env-web", declinedWrite: true },
    github: { "acme/web": "write" },
    workspace: confirmWrites,
    plan: 'start in web (write), no PR (you chose not to let Codex open a pull request): "fix the flaky login test"',
  },
  {
    name: "a read-only GitHub app: the task runs without a PR, saying why",
    answers: { environmentId: "env-web" },
    github: { "acme/web": "write" },
    workspace: (s) => {
      s.apps.find((a) => a.kind === "github")!.mode = "read_only";
    },
    plan: "start in web (write), no PR (The Github app is read-only, so Codex can't open pull requests through it. Read-only requests still work; a workspace admin can allow writes on the hub's Apps page (/apps) or with `/codex app mode Github read-write`.): \"fix the flaky login test\"",
  },
];

describe("planMention", () => {
  it.each(cases)("$name", (c) => {
    expect(summary(planMention(facts(c)))).toBe(c.plan);
  });

  it("records the decisions it made: the task's, and the write's with the confirmation given", () => {
    const plan = planMention(
      facts({
        name: "",
        answers: { environmentId: "env-web", confirmed: true },
        github: { "acme/web": "write" },
        workspace: confirmWrites,
        plan: "",
      }),
    );
    expect(plan).toMatchObject({
      kind: "start",
      access: {
        request: {
          action: "task.run",
          environmentId: "env-web",
          repoPermission: "write",
          githubLinked: true,
        },
        decision: { allowed: true },
      },
      write: { request: { action: "pr.open", confirmed: true }, decision: { allowed: true } },
      fullAnswers: false,
    });
  });

  it("says whether full answers are on, so the channel is checked before one is posted", () => {
    const plan = planMention(
      facts({
        name: "",
        answers: { environmentId: "env-web" },
        github: { "acme/web": "read" },
        workspace: (s) => {
          s.toggles.slackFullAnswers = true;
        },
        plan: "",
      }),
    );
    expect(plan).toMatchObject({ kind: "start", fullAnswers: true });
  });

  it("refuses with the early decision the request had, not one for an environment", () => {
    const plan = planMention(facts({ name: "", member: "carol", plan: "" }));
    expect(plan).toMatchObject({
      kind: "refuse",
      access: { request: { action: "task.run", actor: { memberId: "carol" } } },
    });
    expect((plan as { access: { request: object } }).access.request).not.toHaveProperty("environmentId");
  });
});
