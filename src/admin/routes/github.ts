import { z } from "@hono/zod-openapi";
import { REVIEW_TRIGGERS } from "../../routing/review-triggers";
import {
  allowBot,
  disallowBot,
  getRepoReviewSettings,
  getReviewOptIn,
  listAllowedBots,
  listRepoReviewSettings,
  setReviewOptIn,
  updateRepoReviewSettings,
} from "../../workspace/github-settings";
import { requireMember } from "../../workspace/members";
import { type AdminApp, actorOf, adminRoute, jsonBody, listOf, okJson, workspaceParams } from "../route-kit";

// GitHub settings through the admin API: review settings per repository, the bot allow-list and members'
// opt-in to reviews of their own pull requests.

const tags = ["GitHub"];

const settingsFields = {
  reviewEnabled: z.boolean().describe("Master switch: off means no review at all, not even on request"),
  autoReview: z.boolean().describe("Automatic reviews on pull request events"),
  triggers: z.array(z.enum(REVIEW_TRIGGERS)).describe("pull_request actions that start a review"),
  contributors: z
    .enum(["all", "opted_in"])
    .describe(
      "all: everyone's PRs (outside contributors' too, as the workspace's review); opted_in: members who opted in",
    ),
  skipDrafts: z.boolean(),
  baseBranchGlobs: z.array(z.string().min(1)).describe("Base branches reviewed; empty means all"),
  skipLabels: z.array(z.string().min(1)),
  skipTitleKeywords: z.array(z.string().min(1)),
  ignoreAuthors: z.array(z.string().min(1)),
  minPriority: z
    .union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)])
    .describe("1: post P0 and P1"),
};
const settingsSchema = z.object(settingsFields).openapi("RepoReviewSettings");
const settingsPatch = z
  .object(settingsFields)
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: "name at least one setting to change" });
const settingsView = z
  .object({
    repository: z.string(),
    settings: settingsSchema,
    configured: z.boolean().describe("false: defaults, nobody configured this repository"),
    updatedBy: z.string().nullable(),
    updatedAt: z.number().nullable(),
  })
  .openapi("RepoReviewSettingsView");

const repoParams = workspaceParams.extend({ owner: z.string().min(1), repo: z.string().min(1) });
const botSchema = z.object({ login: z.string(), addedBy: z.string(), createdAt: z.number() });
const optIn = z.object({ enabled: z.boolean() }).openapi("ReviewOptIn");

export function githubApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listRepoReviewSettings",
      path: "/workspaces/{workspaceId}/github/review-settings",
      tags,
      summary: "Repositories with their own review settings (others use the defaults)",
      request: { params: workspaceParams },
      responses: okJson(listOf(settingsView), "Configured repositories"),
    }),
    async (c) =>
      c.json({ items: await listRepoReviewSettings(c.var.deps, c.req.valid("param").workspaceId) }, 200),
  );
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "getRepoReviewSettings",
      path: "/workspaces/{workspaceId}/github/repositories/{owner}/{repo}/review-settings",
      tags,
      summary: "Review settings of one repository",
      request: { params: repoParams },
      responses: okJson(settingsView, "The settings (defaults when not configured)"),
    }),
    async (c) => {
      const { workspaceId, owner, repo } = c.req.valid("param");
      return c.json(await getRepoReviewSettings(c.var.deps, workspaceId, `${owner}/${repo}`), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "patch",
      operationId: "updateRepoReviewSettings",
      path: "/workspaces/{workspaceId}/github/repositories/{owner}/{repo}/review-settings",
      tags,
      summary: "Change some review settings of one repository",
      request: { params: repoParams, body: jsonBody(settingsPatch) },
      responses: okJson(settingsView, "The settings after the change"),
    }),
    async (c) => {
      const { workspaceId, owner, repo } = c.req.valid("param");
      const view = await updateRepoReviewSettings(c.var.deps, {
        workspaceId,
        repository: `${owner}/${repo}`,
        patch: c.req.valid("json"),
        actor: actorOf(c),
      });
      return c.json(view, 200);
    },
  );
  botRoutes(app);
  optInRoutes(app);
}

function botRoutes(app: AdminApp) {
  const botParams = workspaceParams.extend({ login: z.string().min(1) });
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listGitHubBots",
      path: "/workspaces/{workspaceId}/github/bots",
      tags,
      summary: "Bots whose pull requests and comments are not ignored",
      request: { params: workspaceParams },
      responses: okJson(listOf(botSchema), "Allowed bots"),
    }),
    async (c) => c.json({ items: await listAllowedBots(c.var.deps, c.req.valid("param").workspaceId) }, 200),
  );
  app.openapi(
    adminRoute({
      method: "put",
      operationId: "allowGitHubBot",
      path: "/workspaces/{workspaceId}/github/bots/{login}",
      tags,
      summary: "Allow a bot (e.g. dependabot[bot]); this App itself is always ignored",
      request: { params: botParams },
      responses: okJson(z.object({ login: z.string() }), "Allowed"),
    }),
    async (c) => {
      const { workspaceId, login } = c.req.valid("param");
      return c.json({ login: await allowBot(c.var.deps, { workspaceId, login, actor: actorOf(c) }) }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      operationId: "removeGitHubBot",
      path: "/workspaces/{workspaceId}/github/bots/{login}",
      tags,
      summary: "Stop listening to a bot",
      request: { params: botParams },
      responses: okJson(z.object({ login: z.string() }), "Removed"),
    }),
    async (c) => {
      const { workspaceId, login } = c.req.valid("param");
      await disallowBot(c.var.deps, { workspaceId, login, actor: actorOf(c) });
      return c.json({ login: login.toLowerCase() }, 200);
    },
  );
}

function optInRoutes(app: AdminApp) {
  const memberParams = workspaceParams.extend({ memberId: z.string().min(1) });
  const path = "/workspaces/{workspaceId}/members/{memberId}/github/review-opt-in";
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "getReviewOptIn",
      path,
      tags,
      summary: "Whether a member's own pull requests are reviewed where repositories review opted-in members",
      request: { params: memberParams },
      responses: okJson(optIn, "The member's choice"),
    }),
    async (c) => {
      const { workspaceId, memberId } = c.req.valid("param");
      await requireMember(c.var.deps, workspaceId, memberId);
      return c.json({ enabled: await getReviewOptIn(c.var.deps, workspaceId, memberId) }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "put",
      operationId: "setReviewOptIn",
      path,
      tags,
      summary: "Turn automatic reviews of a member's own pull requests on or off",
      request: { params: memberParams, body: jsonBody(optIn) },
      responses: okJson(optIn, "The member's choice after the change"),
    }),
    async (c) => {
      const { workspaceId, memberId } = c.req.valid("param");
      const { enabled } = c.req.valid("json");
      const after = await setReviewOptIn(c.var.deps, { workspaceId, memberId, enabled, actor: actorOf(c) });
      return c.json({ enabled: after }, 200);
    },
  );
}
