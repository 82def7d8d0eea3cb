import { z } from "@hono/zod-openapi";
import { AppError } from "../errors";
import {
  createEnvironment,
  deleteEnvironment,
  listEnvironments,
  requireEnvironment,
  updateEnvironment,
} from "./environments";
import {
  type AdminApp,
  actorOf,
  adminRoute,
  idParams,
  itemParams,
  nameSchema,
  nonEmptyPatch,
  okJson,
} from "./route-kit";
import { resourceRoutes } from "./route-resource";

const tags = ["Environments"];
const collaboratorParams = itemParams("environmentId").extend(idParams("memberId").shape);

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/,
    "must be a domain name such as registry.npmjs.org or *.pypi.org",
  );

const internetSchema = z
  .discriminatedUnion("mode", [
    z.object({ mode: z.literal("off") }),
    z.object({
      mode: z.literal("allowlist"),
      domains: z.array(domain).min(1),
      methods: z.array(z.enum(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"])).min(1),
    }),
  ])
  .openapi("InternetAccess");

const fields = {
  name: nameSchema,
  description: z.string().max(2000),
  repository: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, "must be a GitHub repository as owner/name"),
  visibility: z.enum(["workspace", "private"]).describe("private: only the creator and collaborators see it"),
  creatorId: z.string().min(1),
  collaboratorIds: z.array(z.string().min(1)).describe("Members who see and may edit the environment"),
  internet: internetSchema,
};

const internetView = z
  .discriminatedUnion("mode", [
    z.object({ mode: z.literal("off") }),
    z.object({ mode: z.literal("allowlist"), domains: z.array(z.string()), methods: z.array(z.string()) }),
  ])
  .openapi("InternetAccessView");

const environmentSchema = z
  .object({ id: z.string(), ...fields, internet: internetView, createdAt: z.number(), updatedAt: z.number() })
  .openapi("Environment");
const createBody = z
  .object({
    ...fields,
    description: fields.description.default(""),
    visibility: fields.visibility.default("workspace"),
    collaboratorIds: fields.collaboratorIds.default([]),
    internet: internetSchema.default({ mode: "off" }),
  })
  .strict();
const patchBody = nonEmptyPatch(z.object(fields).partial().strict());

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
      body: createBody,
      run: createEnvironment,
    },
    get: { summary: "An environment", run: requireEnvironment },
    update: { summary: "Change an environment", body: patchBody, run: updateEnvironment },
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
}
