import { z } from "@hono/zod-openapi";
import { INTERNET_PRESET_NAMES, INTERNET_PRESETS } from "../../access/internet-presets";
import { AppError } from "../../errors";
import {
  createEnvironment,
  deleteEnvironment,
  environmentCreateSchema,
  environmentFields,
  environmentPatchSchema,
  listEnvironments,
  requireEnvironment,
  updateEnvironment,
} from "../../workspace/environments";
import { type AdminApp, actorOf, adminRoute, idParams, itemParams, listOf, okJson } from "../route-kit";
import { resourceRoutes } from "../route-resource";

const tags = ["Environments"];
const collaboratorParams = itemParams("environmentId").extend(idParams("memberId").shape);

const internetView = z
  .discriminatedUnion("mode", [
    z.object({ mode: z.literal("off") }),
    z.object({
      mode: z.literal("allowlist"),
      domains: z.array(z.string()),
      methods: z.array(z.string()),
      presets: z.array(z.string()).optional(),
    }),
  ])
  .openapi("InternetAccessView");

const presetSchema = z
  .object({
    name: z.enum(INTERNET_PRESET_NAMES),
    label: z.string(),
    description: z.string(),
    domains: z.array(z.string()).describe("Hosts, matched as allowlist entries: `*.` is every subdomain"),
  })
  .openapi("InternetPreset");

const environmentSchema = z
  .object({
    id: z.string(),
    ...environmentFields,
    internet: internetView,
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("Environment");
export function environmentsApi(app: AdminApp) {
  resourceRoutes(app, {
    tags,
    path: "/workspaces/{workspaceId}/environments",
    idParam: "environmentId",
    noun: "environment",
    schema: environmentSchema,
    list: { summary: "List cloud environments", description: "Environments", run: listEnvironments },
    create: {
      summary: "Create an environment (internet allowlists only where the workspace allows agent internet)",
      body: environmentCreateSchema,
      run: createEnvironment,
    },
    get: { summary: "An environment", run: requireEnvironment },
    update: { summary: "Change an environment", body: environmentPatchSchema, run: updateEnvironment },
    remove: { summary: "Delete an environment", run: deleteEnvironment },
  });
  for (const add of [true, false]) {
    app.openapi(
      adminRoute({
        method: add ? "put" : "delete",
        operationId: add ? "addEnvironmentCollaborator" : "removeEnvironmentCollaborator",
        path: "/workspaces/{workspaceId}/environments/{environmentId}/collaborators/{memberId}",
        tags,
        summary: add ? "Add a collaborator" : "Remove a collaborator",
        request: { params: collaboratorParams },
        responses: okJson(environmentSchema, "The environment after the change"),
      }),
      async (c) => {
        const deps = c.var.deps;
        const { workspaceId, environmentId, memberId } = c.req.valid("param");
        if (!add) {
          const env = await requireEnvironment(deps, workspaceId, environmentId);
          if (!env.collaboratorIds.includes(memberId)) {
            throw new AppError("not_found", `Member ${memberId} is not a collaborator on ${environmentId}.`);
          }
        }
        const change = add ? { addCollaboratorIds: [memberId] } : { removeCollaboratorIds: [memberId] };
        return c.json(await updateEnvironment(deps, workspaceId, environmentId, change, actorOf(c)), 200);
      },
    );
  }
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listInternetPresets",
      path: "/internet-presets",
      tags,
      summary: "Named host lists an environment's allowlist can add with internet.presets",
      responses: okJson(listOf(presetSchema), "The presets and their hosts"),
    }),
    (c) => {
      const items = INTERNET_PRESET_NAMES.map((name) => ({
        name,
        ...INTERNET_PRESETS[name],
        domains: [...INTERNET_PRESETS[name].domains],
      }));
      return c.json({ items }, 200);
    },
  );
}
