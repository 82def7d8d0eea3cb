import { z } from "@hono/zod-openapi";
import { listInvitations } from "../../workspace/environment-invitations";
import { environmentFields, internetSchema } from "../../workspace/environments";
import {
  addCollaboratorByEmail,
  assertMayEditCollaborators,
  createMemberEnvironment,
  removeCollaboratorByEmail,
} from "../../workspace/member-environments";
import { type AdminApp, actorOf, createdJson, itemParams, jsonBody, listOf, okJson } from "../route-kit";
import { editorOf, memberParams, memberRoute, selfMemberId, selfRoute } from "../self-route";

// Members' own environments through the API: a member creates one for a repository GitHub says they can read,
// and its creator (or a Codex Admin, an owner, an admin key) adds and removes collaborators by email; an email
// no member has yet waits as an invitation until that person arrives.

const tags = ["Environments"];

const invitationSchema = z
  .object({ email: z.string(), invitedBy: z.string(), createdAt: z.number() })
  .openapi("EnvironmentInvitation");

const memberEnvironmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    repository: z.string(),
    visibility: z.enum(["workspace", "private"]),
    creatorId: z.string(),
    collaboratorIds: z.array(z.string()),
    internet: z.unknown(),
    defaultMode: z.enum(["ask", "code"]),
    createdAt: z.number(),
    updatedAt: z.number(),
    invitations: z.array(invitationSchema).describe("Emails invited that no member has yet"),
  })
  .openapi("MemberEnvironment");

const createBody = z
  .object({
    name: environmentFields.name,
    description: environmentFields.description.optional(),
    repository: environmentFields.repository,
    visibility: environmentFields.visibility.default("private"),
    collaboratorEmails: z
      .array(z.string().trim().email())
      .max(100)
      .default([])
      .describe("Members' emails become collaborators; other emails are kept as invitations"),
    internet: internetSchema.optional(),
    defaultMode: environmentFields.defaultMode.optional(),
  })
  .strict()
  .openapi("MemberEnvironmentInput");

const emailParams = itemParams("environmentId").extend({
  email: z.string().trim().email().openapi({ description: "The collaborator's email (URL-encoded)" }),
});

export function memberEnvironmentsApi(app: AdminApp) {
  app.openapi(
    selfRoute({
      method: "post",
      operationId: "createMemberEnvironment",
      path: "/workspaces/{workspaceId}/members/{memberId}/environments",
      tags,
      summary:
        "Create a member's own environment (`me`: the signed-in member): needs Codex cloud and GitHub read access to the repository",
      request: { params: memberParams, body: jsonBody(createBody) },
      responses: createdJson(memberEnvironmentSchema, "The new environment, with its pending invitations"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      const env = await createMemberEnvironment(c.var.deps, {
        workspaceId,
        memberId: selfMemberId(c),
        environment: c.req.valid("json"),
        actor: actorOf(c),
      });
      return c.json(env, 201);
    },
  );
  app.openapi(
    memberRoute({
      method: "get",
      operationId: "listEnvironmentInvitations",
      path: "/workspaces/{workspaceId}/environments/{environmentId}/invitations",
      tags,
      summary: "Emails invited to an environment that no member has yet",
      request: { params: itemParams("environmentId") },
      responses: okJson(listOf(invitationSchema), "Pending invitations"),
    }),
    async (c) => {
      const { workspaceId, environmentId } = c.req.valid("param");
      // Same rights as changing them: the creator, Codex Admins and owners.
      await assertMayEditCollaborators(c.var.deps, workspaceId, environmentId, editorOf(c));
      return c.json({ items: await listInvitations(c.var.deps, workspaceId, environmentId) }, 200);
    },
  );
  for (const add of [true, false]) {
    app.openapi(
      memberRoute({
        method: add ? "put" : "delete",
        operationId: add ? "addEnvironmentCollaboratorByEmail" : "removeEnvironmentCollaboratorByEmail",
        path: "/workspaces/{workspaceId}/environments/{environmentId}/collaborators/by-email/{email}",
        tags,
        summary: add
          ? "Add a collaborator by email (a member at once; anyone else once they become one)"
          : "Remove a collaborator, or withdraw the invitation, by email",
        request: { params: emailParams },
        responses: okJson(
          z.object({
            status: z.enum(["added", "invited", "unchanged", "removed"]),
            environment: memberEnvironmentSchema,
          }),
          "The environment after the change",
        ),
      }),
      async (c) => {
        const { workspaceId, environmentId, email } = c.req.valid("param");
        const input = { workspaceId, environmentId, email, editor: editorOf(c), actor: actorOf(c) };
        if (add) return c.json(await addCollaboratorByEmail(c.var.deps, input), 200);
        const environment = await removeCollaboratorByEmail(c.var.deps, input);
        return c.json({ status: "removed" as const, environment }, 200);
      },
    );
  }
}
