/**
 * InboundEvent: every platform delivery the hub acts on, normalized to the few fields the pipeline reads.
 * Ingress produces these; routing and the processor consume them. No platform wire types leak past here.
 */

export type Platform = "github" | "slack" | "linear";

interface Base {
  platform: Platform;
  /** The inbox row's delivery key, repeated so logs and traces can name the delivery. */
  deliveryKey: string;
}

export interface GitHubActor {
  login: string;
  id: number;
  isBot: boolean;
}

export interface GitHubRepo {
  id: number;
  fullName: string;
  isPrivate: boolean;
}

export interface GitHubPullRequestRef {
  number: number;
  title: string;
  draft: boolean;
  state: string;
  headSha: string;
  headRef: string;
  headRepoFullName: string | null;
  baseRef: string;
  baseSha: string;
  labels: string[];
  author: GitHubActor;
  htmlUrl: string;
}

export type GitHubEvent =
  | (Base & {
      platform: "github";
      kind: "pull_request";
      action: string;
      installationId: number | null;
      repository: GitHubRepo;
      sender: GitHubActor;
      pullRequest: GitHubPullRequestRef;
      requestedReviewer: string | null;
    })
  | (Base & {
      platform: "github";
      kind: "comment";
      /** issue_comment on a pull request, or pull_request_review_comment. */
      source: "issue_comment" | "review_comment";
      action: string;
      installationId: number | null;
      repository: GitHubRepo;
      sender: GitHubActor;
      prNumber: number;
      comment: { id: number; body: string; htmlUrl: string; inReplyToId: number | null; path: string | null };
    })
  | (Base & {
      platform: "github";
      kind: "installation";
      /** created, deleted, suspend, unsuspend, new_permissions_accepted, added, removed */
      action: string;
      installationId: number;
      /** The App's slug (`installation.app_slug`): its own comments come from `<slug>[bot]`. */
      appSlug: string | null;
      account: { login: string; id: number; type: string };
      sender: GitHubActor;
      repositoriesAdded: GitHubRepo[];
      repositoriesRemoved: GitHubRepo[];
    });

export type SlackEvent =
  | (Base & {
      platform: "slack";
      kind: "mention";
      /** `app_mention`, or a `message` in a thread (the processor checks Codex was mentioned there). */
      source: "app_mention" | "message";
      teamId: string;
      enterpriseId: string | null;
      channel: string;
      userId: string | null;
      botId: string | null;
      text: string;
      ts: string;
      threadTs: string | null;
      isExtShared: boolean;
    })
  | (Base & {
      platform: "slack";
      kind: "slash_command";
      command: string;
      text: string;
      teamId: string;
      enterpriseId: string | null;
      userId: string;
      userName: string;
      channelId: string;
      responseUrl: string;
      triggerId: string;
    })
  | (Base & {
      platform: "slack";
      kind: "interaction";
      teamId: string;
      enterpriseId: string | null;
      userId: string;
      channelId: string | null;
      responseUrl: string | null;
      triggerId: string | null;
      actions: { actionId: string; value: string | null; blockId: string | null }[];
      messageTs: string | null;
    });

export type LinearEvent =
  | (Base & {
      platform: "linear";
      kind: "agent_session";
      action: "created" | "prompted";
      organizationId: string;
      appUserId: string | null;
      sessionId: string;
      issue: {
        id: string;
        identifier: string | null;
        title: string | null;
        teamId: string | null;
        url: string | null;
      } | null;
      /** The person who started or prompted the session. */
      creatorId: string | null;
      promptContext: string | null;
      /** The follow-up message for `prompted`. */
      prompt: string | null;
      /** The agent activity that carried a `prompted` message, so our own activities can be told apart. */
      activityId: string | null;
      /** Linear's `stop` signal on a `prompted` activity: halt the session's work (other signals are not kept). */
      signal?: "stop";
    })
  | (Base & {
      platform: "linear";
      kind: "issue_delegated";
      organizationId: string;
      issueId: string;
      teamId: string | null;
      actorId: string | null;
      delegateId: string | null;
      assigneeId: string | null;
    })
  | (Base & {
      platform: "linear";
      kind: "comment";
      action: string;
      organizationId: string;
      commentId: string;
      issueId: string | null;
      parentId: string | null;
      userId: string | null;
      body: string;
      /** Set when an app (possibly ours) wrote the comment. */
      botActorId: string | null;
    });

export type InboundEvent = GitHubEvent | SlackEvent | LinearEvent;
