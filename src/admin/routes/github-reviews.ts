import { z } from "@hono/zod-openapi";
import { claimInstallation, listInstallations } from "../../workspace/github-installations";
import { getReview, listReviews } from "../../workspace/github-reviews";
import { type AdminApp, actorOf, adminRoute, listOf, okJson, workspaceParams } from "../route-kit";

// GitHub through the admin API, what happened: installations (and claiming one for a workspace) and the
// reviews the hub ran, with their findings and the feedback they got.

const tags = ["GitHub"];

const installationSchema = z
  .object({
    id: z.number(),
    accountLogin: z.string(),
    accountType: z.string(),
    status: z.string(),
    workspaceId: z.string().nullable().describe("null: not linked yet; claim it for a workspace"),
    repositories: z.array(
      z.object({ id: z.number(), fullName: z.string(), isPrivate: z.boolean(), status: z.string() }),
    ),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("GitHubInstallation");

const reviewSchema = z
  .object({
    id: z.string(),
    repository: z.string(),
    prNumber: z.number(),
    headSha: z.string(),
    baseSha: z.string(),
    trigger: z.string(),
    status: z.string().describe("pending, published, clean, failed, superseded or cancelled"),
    taskId: z.string(),
    taskStatus: z.string().nullable(),
    error: z.string().nullable().describe("Why a failed review failed (e.g. malformed findings)"),
    supersededBy: z.string().nullable(),
    requesterMemberId: z.string(),
    minPriority: z.number(),
    stats: z.unknown(),
    createdAt: z.number(),
    finishedAt: z.number().nullable(),
  })
  .openapi("GitHubReview");
const findingSchema = z.object({
  id: z.string(),
  position: z.number(),
  priority: z.number(),
  title: z.string(),
  path: z.string(),
  line: z.number(),
  side: z.string(),
  placement: z.string(),
  commentId: z.number().nullable(),
  feedback: z.array(
    z.object({ kind: z.string(), content: z.string(), actorLogin: z.string(), createdAt: z.number() }),
  ),
});

export function githubReviewsApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listGitHubInstallations",
      path: "/github/installations",
      tags,
      summary: "GitHub App installations the hub heard of, with their workspace and repositories",
      responses: okJson(listOf(installationSchema), "Installations, oldest first"),
    }),
    async (c) => c.json({ items: await listInstallations(c.var.deps) }, 200),
  );
  app.openapi(
    adminRoute({
      method: "post",
      operationId: "claimGitHubInstallation",
      path: "/workspaces/{workspaceId}/github/installations/{installationId}/claim",
      tags,
      summary: "Link an installation to this workspace (for installations the hub could not place itself)",
      request: { params: workspaceParams.extend({ installationId: z.coerce.number().int().positive() }) },
      responses: okJson(z.object({ workspaceId: z.string(), installationId: z.number() }), "Linked"),
    }),
    async (c) => {
      const { workspaceId, installationId } = c.req.valid("param");
      await claimInstallation(c.var.deps, { workspaceId, installationId, actor: actorOf(c) });
      return c.json({ workspaceId, installationId }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listGitHubReviews",
      path: "/workspaces/{workspaceId}/github/reviews",
      tags,
      summary: "Reviews the hub started, newest first (skipped reviews are `review.skip` audit records)",
      request: {
        params: workspaceParams,
        query: z.object({
          repository: z.string().optional().describe("owner/name"),
          pr: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: okJson(listOf(reviewSchema), "Reviews"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      const { repository, pr, limit } = c.req.valid("query");
      const items = await listReviews(c.var.deps, {
        workspaceId,
        limit,
        ...(repository ? { repository } : {}),
        ...(pr !== undefined ? { prNumber: pr } : {}),
      });
      return c.json({ items }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "getGitHubReview",
      path: "/workspaces/{workspaceId}/github/reviews/{reviewId}",
      tags,
      summary: "One review with its findings and the replies and reactions they got",
      request: { params: workspaceParams.extend({ reviewId: z.string().min(1) }) },
      responses: okJson(reviewSchema.extend({ findings: z.array(findingSchema) }), "The review"),
    }),
    async (c) => {
      const { workspaceId, reviewId } = c.req.valid("param");
      return c.json(await getReview(c.var.deps, workspaceId, reviewId), 200);
    },
  );
}
