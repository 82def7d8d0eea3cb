import { z } from "@hono/zod-openapi";
import {
  clearTeamEnvironment,
  listLinearInstallations,
  listTeamEnvironments,
  setTeamEnvironment,
} from "../../workspace/linear-settings";
import {
  type AdminApp,
  actorOf,
  adminRoute,
  idParams,
  jsonBody,
  listOf,
  okJson,
  workspaceParams,
} from "../route-kit";

const tags = ["Linear"];
const teamParams = workspaceParams.extend(idParams("teamId").shape);

const teamEnvironmentSchema = z
  .object({
    teamId: z.string().describe("Linear team id (the `teamId` of its issues)"),
    teamName: z.string().nullable(),
    environmentId: z.string(),
    updatedAt: z.number(),
  })
  .openapi("LinearTeamEnvironment");

const setBody = z
  .object({
    environmentId: z.string().min(1),
    teamName: z.string().trim().min(1).max(200).optional().describe("The team's key or name, for listings"),
  })
  .strict();

const installationSchema = z
  .object({
    organizationId: z.string(),
    organizationName: z.string().nullable(),
    actor: z
      .enum(["app", "key"])
      .describe("app: installed through /setup/linear; key: reached with LINEAR_API_KEY"),
    appUserId: z.string().nullable(),
    scopes: z.string().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("LinearInstallation");

export function linearApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listLinearTeamEnvironments",
      path: "/workspaces/{workspaceId}/linear/teams",
      tags,
      summary: "Default environments of Linear teams",
      request: { params: workspaceParams },
      responses: okJson(listOf(teamEnvironmentSchema), "Teams with a default environment"),
    }),
    async (c) =>
      c.json({ items: await listTeamEnvironments(c.var.deps, c.req.valid("param").workspaceId) }, 200),
  );
  app.openapi(
    adminRoute({
      method: "put",
      operationId: "setLinearTeamEnvironment",
      path: "/workspaces/{workspaceId}/linear/teams/{teamId}",
      tags,
      summary: "Set the environment a Linear team's requests run in when nothing more specific names one",
      request: { params: teamParams, body: jsonBody(setBody) },
      responses: okJson(teamEnvironmentSchema, "The team's default environment"),
    }),
    async (c) => {
      const { workspaceId, teamId } = c.req.valid("param");
      const body = c.req.valid("json");
      const view = await setTeamEnvironment(c.var.deps, workspaceId, { teamId, ...body }, actorOf(c));
      return c.json(view, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      operationId: "removeLinearTeamEnvironment",
      path: "/workspaces/{workspaceId}/linear/teams/{teamId}",
      tags,
      summary: "Remove a Linear team's default environment",
      request: { params: teamParams },
      responses: { 204: { description: "Removed" } },
    }),
    async (c) => {
      const { workspaceId, teamId } = c.req.valid("param");
      await clearTeamEnvironment(c.var.deps, workspaceId, teamId, actorOf(c));
      return c.body(null, 204);
    },
  );
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listLinearInstallations",
      path: "/workspaces/{workspaceId}/linear/installations",
      tags,
      summary: "Linear organizations connected to the workspace (tokens are never shown)",
      request: { params: workspaceParams },
      responses: okJson(listOf(installationSchema), "Connected organizations"),
    }),
    async (c) =>
      c.json({ items: await listLinearInstallations(c.var.deps, c.req.valid("param").workspaceId) }, 200),
  );
}
