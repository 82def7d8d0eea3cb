import { z } from "@hono/zod-openapi";
import { appsService } from "../../workspace/apps";
import { type AdminApp, nameSchema, nonEmptyPatch } from "../route-kit";
import { resourceRoutes } from "../route-resource";

const accessSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("all") }),
  z.object({
    type: z.literal("assigned"),
    memberIds: z.array(z.string()).default([]),
    groupIds: z.array(z.string()).default([]),
    roleIds: z.array(z.string()).default([]),
  }),
]);

const fields = {
  name: nameSchema,
  enabled: z.boolean(),
  status: z.enum(["draft", "published"]),
  access: accessSchema,
  mode: z.enum(["read_only", "read_write"]),
  confirmWrites: z.boolean().describe("Ask the person to confirm each write"),
};

const appSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["slack", "github", "linear", "custom"]),
    ...fields,
    createdAt: z.number(),
  })
  .openapi("App");

// New apps start as least-privileged drafts: an admin publishes and opens them up deliberately.
const createBody = z
  .object({
    kind: z.enum(["slack", "github", "linear", "custom"]),
    name: fields.name,
    enabled: fields.enabled.default(true),
    status: fields.status.default("draft"),
    access: accessSchema.default({ type: "all" }),
    mode: fields.mode.default("read_only"),
    confirmWrites: fields.confirmWrites.default(false),
  })
  .strict();
const patchBody = nonEmptyPatch(z.object(fields).partial().strict());

export function appsApi(app: AdminApp) {
  resourceRoutes(app, {
    tags: ["Apps"],
    path: "/workspaces/{workspaceId}/apps",
    idParam: "appId",
    noun: "app",
    schema: appSchema,
    list: {
      summary: "List apps (the Slack, GitHub and Linear integrations and custom apps)",
      description: "Apps; the first of each kind carries that platform's events",
      run: appsService.list,
    },
    create: { summary: "Add an app", body: createBody, run: appsService.create },
    get: { summary: "An app", run: appsService.get },
    update: {
      summary: "Enable, publish, assign or restrict an app",
      body: patchBody,
      run: appsService.update,
    },
    remove: { summary: "Remove an app (nothing can act through it afterwards)", run: appsService.remove },
  });
}
