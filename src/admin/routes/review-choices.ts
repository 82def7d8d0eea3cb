import { z } from "@hono/zod-openapi";
import { AppError } from "../../errors";
import { REVIEW_TRIGGERS } from "../../routing/review-triggers";
import { requireMember } from "../../workspace/members";
import {
  clearReviewTriggerChoice,
  getReviewTriggerChoice,
  listReviewTriggerChoices,
  setReviewTriggerChoice,
} from "../../workspace/review-choices";
import { type AdminApp, actorOf, jsonBody, listOf, okJson } from "../route-kit";
import { memberParams, selfMemberId, selfRoute } from "../self-route";

// A member's own review triggers per repository: which pull request events start an automatic review of
// their pull requests, within the repository's triggers. Members call these for themselves (`me`).

const tags = ["GitHub"];

const choiceSchema = z
  .object({
    repository: z.string().describe("owner/name, lower-cased"),
    triggers: z
      .array(z.enum(REVIEW_TRIGGERS))
      .describe("Events that start a review of the member's pull requests; empty: off in this repository"),
    updatedBy: z.string(),
    updatedAt: z.number(),
  })
  .openapi("ReviewTriggerChoice");
const choiceBody = z
  .object({
    triggers: z
      .array(z.string().min(1))
      .describe(
        `Among the repository's own triggers (${REVIEW_TRIGGERS.join(", ")}); one it does not allow is refused with 400`,
      ),
  })
  .strict()
  .openapi("ReviewTriggerChoiceInput");
const repoParams = memberParams.extend({ owner: z.string().min(1), repo: z.string().min(1) });
const path = "/workspaces/{workspaceId}/members/{memberId}/github/review-triggers";

export function reviewChoicesApi(app: AdminApp) {
  app.openapi(
    selfRoute({
      method: "get",
      operationId: "listReviewTriggerChoices",
      path,
      tags,
      summary: "A member's own review triggers, per repository (`me`: the signed-in member)",
      request: { params: memberParams },
      responses: okJson(listOf(choiceSchema), "Repositories where the member chose; others use their own"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      await requireMember(c.var.deps, workspaceId, selfMemberId(c));
      const items = await listReviewTriggerChoices(c.var.deps, workspaceId, selfMemberId(c));
      return c.json({ items }, 200);
    },
  );
  app.openapi(
    selfRoute({
      method: "get",
      operationId: "getReviewTriggerChoice",
      path: `${path}/{owner}/{repo}`,
      tags,
      summary: "A member's own review triggers in one repository",
      request: { params: repoParams },
      responses: okJson(choiceSchema, "The member's choice"),
    }),
    async (c) => {
      const { workspaceId, owner, repo } = c.req.valid("param");
      const choice = await getReviewTriggerChoice(
        c.var.deps,
        workspaceId,
        selfMemberId(c),
        `${owner}/${repo}`,
      );
      if (!choice) {
        throw new AppError(
          "not_found",
          `No review trigger choice for ${owner}/${repo}: the repository's own triggers apply.`,
        );
      }
      return c.json(choice, 200);
    },
  );
  app.openapi(
    selfRoute({
      method: "put",
      operationId: "setReviewTriggerChoice",
      path: `${path}/{owner}/{repo}`,
      tags,
      summary: "Choose the events that start automatic reviews of the member's pull requests in a repository",
      request: { params: repoParams, body: jsonBody(choiceBody) },
      responses: okJson(choiceSchema, "The choice after the change"),
    }),
    async (c) => {
      const { workspaceId, owner, repo } = c.req.valid("param");
      const choice = await setReviewTriggerChoice(c.var.deps, {
        workspaceId,
        memberId: selfMemberId(c),
        repository: `${owner}/${repo}`,
        triggers: c.req.valid("json").triggers,
        actor: actorOf(c),
      });
      return c.json(choice, 200);
    },
  );
  app.openapi(
    selfRoute({
      method: "delete",
      operationId: "clearReviewTriggerChoice",
      path: `${path}/{owner}/{repo}`,
      tags,
      summary: "Forget the member's choice in a repository: its own triggers apply again",
      request: { params: repoParams },
      responses: okJson(choiceSchema, "The choice as it was"),
    }),
    async (c) => {
      const { workspaceId, owner, repo } = c.req.valid("param");
      const before = await clearReviewTriggerChoice(c.var.deps, {
        workspaceId,
        memberId: selfMemberId(c),
        repository: `${owner}/${repo}`,
        actor: actorOf(c),
      });
      return c.json(before, 200);
    },
  );
}
