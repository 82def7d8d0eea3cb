import { z } from "@hono/zod-openapi";
import { PERMISSIONS } from "../access/types";
import { workspaceLinkKinds } from "../db/schema/workspaces";

// Response schemas shared by several routers (the OpenAPI document names each once).

export const togglesSchema = z
  .object({
    codexLocal: z.boolean(),
    codexCloud: z.boolean(),
    githubConnector: z.boolean(),
    codeReview: z.boolean(),
    slackFullAnswers: z.boolean(),
    linearFullAnswers: z.boolean(),
    agentInternet: z.boolean(),
    zeroDataRetention: z.boolean(),
  })
  .openapi("WorkspaceToggles");

export const linkSchema = z.object({
  kind: z.enum(workspaceLinkKinds),
  externalId: z.string().trim().min(1).max(200),
});

export const workspaceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    toggles: togglesSchema,
    defaultRoleId: z.string().nullable(),
    defaultPolicyId: z.string().nullable(),
    links: z.array(linkSchema),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("Workspace");

export const identitySchema = z.object({
  platform: z.enum(["slack", "github", "linear"]),
  externalId: z.string(),
  display: z.string(),
  source: z.enum(["email", "oauth", "admin", "seed"]),
});

export const memberSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    email: z.string(),
    displayName: z.string().nullable(),
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    status: z.enum(["active", "deactivated"]),
    isOwner: z.boolean(),
    externalId: z.string().nullable(),
    groupIds: z.array(z.string()),
    identities: z.array(identitySchema),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("Member");

export const groupSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    externalId: z.string().nullable(),
    memberIds: z.array(z.string()),
    roleIds: z.array(z.string()),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("Group");

export const permissionSchema = z.enum(PERMISSIONS);
