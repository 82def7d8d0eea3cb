import { z } from "@hono/zod-openapi";
import { linkIdentity, unlinkIdentity } from "../../workspace/identity-link";
import {
  createMember,
  deleteMember,
  listMembers,
  requireMember,
  updateMember,
} from "../../workspace/members";
import {
  type AdminApp,
  actorOf,
  adminRoute,
  itemParams,
  jsonBody,
  nonEmptyPatch,
  okJson,
} from "../route-kit";
import { resourceRoutes } from "../route-resource";
import { memberSchema } from "../schemas";

const tags = ["Members"];
const identityParams = itemParams("memberId").extend({ platform: z.enum(["slack", "github", "linear"]) });

const optionalText = z.string().trim().min(1).max(200).nullable().optional();
const memberFields = {
  displayName: optionalText,
  givenName: optionalText,
  familyName: optionalText,
  externalId: optionalText,
  status: z.enum(["active", "deactivated"]).optional(),
};
const createBody = z.object({ email: z.email(), isOwner: z.boolean().optional(), ...memberFields }).strict();
const patchBody = nonEmptyPatch(z.object({ email: z.email().optional(), ...memberFields }).strict());

export function membersApi(app: AdminApp) {
  resourceRoutes(app, {
    tags,
    path: "/workspaces/{workspaceId}/members",
    idParam: "memberId",
    noun: "member",
    schema: memberSchema,
    list: {
      summary: "List members (optionally the one with an email)",
      description: "Members with their groups and linked identities",
      query: z.object({ email: z.string().optional() }),
      run: listMembers,
    },
    create: { summary: "Add a member by email", body: createBody, run: createMember },
    get: { summary: "A member with their groups and linked identities", run: requireMember },
    update: {
      summary: "Change a member (deactivate with status: deactivated; access ends at once)",
      body: patchBody,
      run: updateMember,
    },
    remove: {
      summary: "Remove a member with their identities, group memberships and collaborations",
      run: deleteMember,
    },
  });
  app.openapi(
    adminRoute({
      method: "put",
      operationId: "linkMemberIdentity",
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
      operationId: "unlinkMemberIdentity",
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
