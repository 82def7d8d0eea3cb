import type { TaskOrigin } from "../tasks/types";

// Where a task was asked, as links back from its page: the Slack thread, the GitHub pull request (and the
// comment that asked), the Linear issue. Built from the task's origin alone, so the page calls no platform.

export interface OriginLink {
  text: string;
  /** Absent when there is nothing to link to (the API, a Linear issue whose address is unknown). */
  href?: string;
}

export interface OriginView {
  /** The platform, as a person names it. */
  surface: string;
  links: OriginLink[];
}

const part = encodeURIComponent;

/**
 * Slack has no permalink without the workspace's own domain (which the hub does not keep), so the thread is
 * the web client's address for it, and the channel the documented redirect that opens the app
 * (https://api.slack.com/reference/deep-linking#app_channel).
 */
function slackLinks(origin: Extract<TaskOrigin, { surface: "slack" }>): OriginLink[] {
  const { teamId, channel, threadTs } = origin;
  return [
    {
      text: "the thread",
      href: `https://app.slack.com/client/${part(teamId)}/${part(channel)}/thread/${part(channel)}-${part(threadTs)}`,
    },
    {
      text: "the channel",
      href: `https://slack.com/app_redirect?team=${part(teamId)}&channel=${part(channel)}`,
    },
  ];
}

/** The pull request on GitHub (or GitHub Enterprise Server: `githubWeb`), and the comment that asked. */
function githubLinks(origin: Extract<TaskOrigin, { surface: "github" }>, githubWeb: string): OriginLink[] {
  const repo = origin.repository.split("/").map(part).join("/");
  const pull = `${githubWeb}/${repo}/pull/${origin.prNumber}`;
  const links: OriginLink[] = [{ text: `${origin.repository}#${origin.prNumber}`, href: pull }];
  if (origin.commentId !== undefined) {
    const anchor =
      origin.commentSource === "review_comment"
        ? `discussion_r${origin.commentId}`
        : `issuecomment-${origin.commentId}`;
    links.push({ text: "the comment", href: `${pull}#${anchor}` });
  }
  return links;
}

export function originView(
  origin: TaskOrigin,
  context: Record<string, unknown>,
  githubWeb: string,
): OriginView {
  switch (origin.surface) {
    case "slack":
      return { surface: "Slack", links: slackLinks(origin) };
    case "github":
      return { surface: "GitHub", links: githubLinks(origin, githubWeb) };
    case "linear": {
      // The issue's address, when the request carried it (agent sessions and issue mentions do).
      const url = typeof context.linearIssueUrl === "string" ? context.linearIssueUrl : null;
      const text = origin.agentSessionId ? "the issue's agent session" : "the issue";
      return {
        surface: "Linear",
        links: [url && /^https:\/\//i.test(url) ? { text, href: url } : { text }],
      };
    }
    case "api":
      return { surface: "the admin API", links: [] };
  }
}
