import { z } from "@hono/zod-openapi";
import { linkIdentity, unlinkIdentity } from "../identity/link";
import { createMember, deleteMember, listMembers, requireMember, updateMember } from "./members";
import {
  type AdminApp,
  actorOf,
  adminRoute,
  createdJson,
  idParams,
  jsonBody,
  listOf,
  okJson,
  workspaceParams,
} from "./route-kit";
import { memberSchema } from "./schemas";

const tags = ["Members"];
const memberParams = workspaceParams.extend(idParams("memberId").shape);
const identityParams = memberParams.extend({ platform: z.enum(["slack", "github", "linear"]) });

const optionalText = z.string().trim().min(1).max(200).nullable().optional();
const memberFields = {
  displayName: optionalText,
  givenName: optionalText,
  familyName: optionalText,
  externalId: optionalText,
  status: z.enum(["active", "deactivated"]).optional(),
};
const createBody = z.object({ email: z.email(), isOwner: z.boolean().optional(), ...memberFields }).strict();
const patchBody = z
  .object({ email: z.email().optional(), ...memberFields })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: "name at least one field to change" });

export function membersApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      path: "/workspaces/{workspaceId}/members",
      tags,
      summary: "List members (optionally the one with an email)",
      request: { params: workspaceParams, query: z.object({ email: z.string().optional() }) },
      responses: okJson(listOf(memberSchema), "Members with their groups and linked identities"),
    }),
    async (c) => {
      const { email } = c.req.valid("query");
      return c.json(
        { items: await listMembers(c.var.deps, c.req.valid("param").workspaceId, { email }) },
        200,
      );
    },
  );
  app.openapi(
    adminRoute({
      method: "post",
      path: "/workspaces/{workspaceId}/members",
      tags,
      summary: "Add a member by email",
      request: { params: workspaceParams, body: jsonBody(createBody) },
      responses: createdJson(memberSchema, "The new member"),
    }),
    async (c) =>
      c.json(
        await createMember(c.var.deps, c.req.valid("param").workspaceId, c.req.valid("json"), actorOf(c)),
        201,
      ),
  );
  app.openapi(
    adminRoute({
      method: "get",
      path: "/workspaces/{workspaceId}/members/{memberId}",
      tags,
      summary: "A member with their groups and linked identities",
      request: { params: memberParams },
      responses: okJson(memberSchema, "The member"),
    }),
    async (c) => {
      const { workspaceId, memberId } = c.req.valid("param");
      return c.json(await requireMember(c.var.deps, workspaceId, memberId), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "patch",
      path: "/workspaces/{workspaceId}/members/{memberId}",
      tags,
      summary: "Change a member (deactivate with status: deactivated; access ends at once)",
      request: { params: memberParams, body: jsonBody(patchBody) },
      responses: okJson(memberSchema, "The member after the change"),
    }),
    async (c) => {
      const { workspaceId, memberId } = c.req.valid("param");
      return c.json(
        await updateMember(c.var.deps, workspaceId, memberId, c.req.valid("json"), actorOf(c)),
        200,
      );
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      path: "/workspaces/{workspaceId}/members/{memberId}",
      tags,
      summary: "Remove a member with their identities, group memberships and collaborations",
      request: { params: memberParams },
      responses: okJson(memberSchema, "The member as it was"),
    }),
    async (c) => {
      const { workspaceId, memberId } = c.req.valid("param");
      return c.json(await deleteMember(c.var.deps, workspaceId, memberId, actorOf(c)), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "put",
      path: "/workspaces/{workspaceId}/members/{memberId}/identities/{platform}",
      tags,
      summary: "Map a platform identity to the member (an admin's explicit GitHub login mapping)",
      request: {
        params: identityParams,
        body: jsonBody(
          z.object({
            id: z.string().trim().min(1).max(100).describe("Slack/Linear user id or GitHub login"),
          }),
        ),
      },
      responses: okJson(memberSchema, "The member after the change"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId, memberId, platform } = c.req.valid("param");
      const { id } = c.req.valid("json");
      await linkIdentity(deps, { workspaceId, memberId, platform, id, source: "admin", actor: actorOf(c) });
      return c.json(await requireMember(deps, workspaceId, memberId), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      path: "/workspaces/{workspaceId}/members/{memberId}/identities/{platform}",
      tags,
      summary: "Unlink the member's identity on a platform",
      request: { params: identityParams },
      responses: okJson(memberSchema, "The member after the change"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId, memberId, platform } = c.req.valid("param");
      await unlinkIdentity(deps, { workspaceId, memberId, platform, actor: actorOf(c) });
      return c.json(await requireMember(deps, workspaceId, memberId), 200);
    },
  );
}
