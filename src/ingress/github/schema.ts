import { z } from "zod";

/** Only the fields the hub reads from GitHub webhook payloads (https://docs.github.com/webhooks/webhook-events-and-payloads). */

export const actor = z.object({ login: z.string(), id: z.number(), type: z.string().optional() });
export const repository = z.object({
  id: z.number(),
  full_name: z.string(),
  private: z.boolean().optional(),
});
const installationRef = z.object({ id: z.number() }).nullish();

export const pullRequest = z.object({
  number: z.number(),
  title: z.string(),
  draft: z.boolean().optional(),
  state: z.string(),
  html_url: z.string(),
  user: actor,
  labels: z.array(z.object({ name: z.string() })).optional(),
  head: z.object({ sha: z.string(), ref: z.string(), repo: z.object({ full_name: z.string() }).nullish() }),
  base: z.object({ sha: z.string(), ref: z.string() }),
});

export const pullRequestPayload = z.object({
  action: z.string(),
  pull_request: pullRequest,
  repository,
  sender: actor,
  installation: installationRef,
  requested_reviewer: z.object({ login: z.string() }).nullish(),
});

const comment = z.object({
  id: z.number(),
  body: z.string().nullable(),
  html_url: z.string(),
  user: actor,
  in_reply_to_id: z.number().optional(),
  path: z.string().optional(),
});

export const issueCommentPayload = z.object({
  action: z.string(),
  issue: z.object({ number: z.number(), pull_request: z.object({ url: z.string() }).nullish() }),
  comment,
  repository,
  sender: actor,
  installation: installationRef,
});

export const reviewCommentPayload = z.object({
  action: z.string(),
  pull_request: z.object({ number: z.number() }),
  comment,
  repository,
  sender: actor,
  installation: installationRef,
});

const installationRepo = z.object({ id: z.number(), full_name: z.string(), private: z.boolean().optional() });

export const installationPayload = z.object({
  action: z.string(),
  installation: z.object({
    id: z.number(),
    app_slug: z.string().optional(),
    account: z
      .object({
        login: z.string().optional(),
        slug: z.string().optional(),
        id: z.number(),
        type: z.string().optional(),
      })
      .nullable(),
  }),
  sender: actor,
  repositories: z.array(installationRepo).optional(),
  repositories_added: z.array(installationRepo).optional(),
  repositories_removed: z.array(installationRepo).optional(),
});

/** Event names the hub acts on, with the schema their payload must satisfy. */
export const githubSchemas = {
  pull_request: pullRequestPayload,
  issue_comment: issueCommentPayload,
  pull_request_review_comment: reviewCommentPayload,
  installation: installationPayload,
  installation_repositories: installationPayload,
} as const;

export type GitHubEventName = keyof typeof githubSchemas;
