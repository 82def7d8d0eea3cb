import { z } from "@hono/zod-openapi";
import { pluginsService } from "../../workspace/plugins";
import { type AdminApp, nameSchema, nonEmptyPatch } from "../route-kit";
import { resourceRoutes } from "../route-resource";

const policy = z.enum(["none", "available", "installed"]);

const fields = {
  name: nameSchema,
  enabled: z.boolean(),
  skills: z.array(z.string().trim().min(1)),
  requiredAppIds: z.array(z.string().min(1)).describe("Every one must be usable by the member"),
  optionalAppIds: z.array(z.string().min(1)),
  policyByRole: z.record(z.string(), policy).describe("Installation policy per role id"),
  defaultPolicy: policy.describe("Policy for roles not listed"),
};

const pluginSchema = z.object({ id: z.string(), ...fields, createdAt: z.number() }).openapi("Plugin");
const createBody = z
  .object({
    name: fields.name,
    enabled: fields.enabled.default(true),
    skills: fields.skills.default([]),
    requiredAppIds: fields.requiredAppIds.default([]),
    optionalAppIds: fields.optionalAppIds.default([]),
    policyByRole: fields.policyByRole.default({}),
    defaultPolicy: fields.defaultPolicy.default("available"),
  })
  .strict();
const patchBody = nonEmptyPatch(z.object(fields).partial().strict());

export function pluginsApi(app: AdminApp) {
  resourceRoutes(app, {
    tags: ["Plugins"],
    path: "/workspaces/{workspaceId}/plugins",
    idParam: "pluginId",
    noun: "plugin",
    schema: pluginSchema,
    list: { summary: "List plugins", description: "Plugins", run: pluginsService.list },
    create: { summary: "Add a plugin", body: createBody, run: pluginsService.create },
    get: { summary: "A plugin", run: pluginsService.get },
    update: {
      summary: "Change a plugin's apps, skills or installation policy",
      body: patchBody,
      run: pluginsService.update,
    },
    remove: { summary: "Remove a plugin", run: pluginsService.remove },
  });
}
