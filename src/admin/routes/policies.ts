import { z } from "@hono/zod-openapi";
import { lookupPolicy } from "../../access/policies";
import { AppError } from "../../errors";
import {
  createPolicy,
  deletePolicy,
  getPolicyAssignments,
  listPolicies,
  policyAssignmentsSchema,
  policyCreateSchema,
  policyPatchSchema,
  requirePolicy,
  setPolicyAssignments,
  updatePolicy,
} from "../../workspace/policies";
import { getSnapshot } from "../../workspace/snapshot";
import { listWorkspaceIds } from "../../workspace/workspaces";
import { type AdminApp, actorOf, adminRoute, jsonBody, okJson, workspaceParams } from "../route-kit";
import { resourceRoutes } from "../route-resource";

const tags = ["Managed policies"];

const policySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    source: z.string().describe("requirements.toml as written"),
    requirements: z.record(z.string(), z.unknown()).describe("The validated document"),
    warnings: z.array(z.string()).describe("Unknown keys that were ignored"),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("ManagedPolicy");
const lookupSchema = z
  .object({
    policy: policySchema.pick({ id: true, name: true, requirements: true }).nullable(),
    source: z.enum(["group_rule", "default", "none", "unknown_member", "unknown_group"]),
    ruleIndex: z.number().optional(),
    groupId: z.string().optional(),
    reason: z.string(),
  })
  .openapi("PolicyLookup");
const lookupQuery = z
  .object({
    workspaceId: z.string().optional(),
    email: z.string().optional(),
    group: z.string().optional().describe("Group id or name"),
  })
  .refine((q) => (q.email === undefined) !== (q.group === undefined), {
    message: "give exactly one of email or group",
  });

export function policiesApi(app: AdminApp) {
  resourceRoutes(app, {
    tags,
    path: "/workspaces/{workspaceId}/policies",
    idParam: "policyId",
    noun: "policy",
    schema: policySchema,
    list: { summary: "List managed policies", description: "Policies", run: listPolicies },
    create: {
      summary: "Create a managed requirements.toml policy (unknown keys come back as warnings)",
      body: policyCreateSchema,
      run: createPolicy,
    },
    get: { summary: "A managed policy", run: requirePolicy },
    update: {
      summary: "Rename a policy or replace its requirements.toml",
      body: policyPatchSchema,
      run: updatePolicy,
    },
    remove: { summary: "Delete a policy (its rules go with it)", run: deletePolicy },
  });
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "getPolicyAssignments",
      path: "/workspaces/{workspaceId}/policy-assignments",
      tags,
      summary: "The ordered group → policy rules and the default",
      request: { params: workspaceParams },
      responses: okJson(policyAssignmentsSchema, "The assignments"),
    }),
    async (c) => c.json(await getPolicyAssignments(c.var.deps, c.req.valid("param").workspaceId), 200),
  );
  app.openapi(
    adminRoute({
      method: "put",
      operationId: "setPolicyAssignments",
      path: "/workspaces/{workspaceId}/policy-assignments",
      tags,
      summary: "Replace the ordered group → policy rules and the default",
      request: { params: workspaceParams, body: jsonBody(policyAssignmentsSchema) },
      responses: okJson(policyAssignmentsSchema, "The assignments after the change"),
    }),
    async (c) =>
      c.json(
        await setPolicyAssignments(
          c.var.deps,
          c.req.valid("param").workspaceId,
          c.req.valid("json"),
          actorOf(c),
        ),
        200,
      ),
  );
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "lookUpPolicy",
      path: "/policies/lookup",
      tags,
      summary: "Which managed policy applies to a member (by email) or a group, and why",
      request: { query: lookupQuery },
      responses: okJson(lookupSchema, "The policy that applies"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const query = c.req.valid("query");
      const workspaceId = query.workspaceId ?? (await onlyWorkspace(deps));
      const { snapshot } = await getSnapshot(deps, workspaceId);
      let found: ReturnType<typeof lookupPolicy>;
      if (query.email !== undefined) found = lookupPolicy(snapshot, { email: query.email });
      else {
        const group =
          snapshot.groups.find((g) => g.id === query.group) ??
          snapshot.groups.find((g) => g.name === query.group);
        found = lookupPolicy(snapshot, { groupId: group?.id ?? (query.group as string) });
      }
      const { policy, ...rest } = found;
      return c.json(
        {
          ...rest,
          policy: policy && {
            id: policy.id,
            name: policy.name,
            requirements: policy.requirements as Record<string, unknown>,
          },
        },
        200,
      );
    },
  );
}

async function onlyWorkspace(deps: Parameters<typeof listWorkspaceIds>[0]): Promise<string> {
  const ids = await listWorkspaceIds(deps);
  if (ids.length !== 1)
    throw new AppError("invalid_body", "This hub has several workspaces: pass workspaceId.");
  return ids[0]!;
}
