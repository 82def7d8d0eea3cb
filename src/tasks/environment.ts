import { z } from "zod";
import { effectiveInternet, repoAllows } from "../access/environments";
import { INTERNET_PRESET_NAMES } from "../access/internet-presets";
import { type Requirements, SANDBOX_MODES } from "../access/requirements";
import type { RepoPermission } from "../access/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { getSnapshot } from "../workspace/snapshot";
import type { TaskEnvironment } from "./executors/types";
import type { Task } from "./types";

const internetSchema = z.union([
  z.object({ mode: z.literal("off") }),
  z.object({
    mode: z.literal("allowlist"),
    domains: z.array(z.string()),
    methods: z.array(z.string()),
    presets: z.array(z.enum(INTERNET_PRESET_NAMES)).optional(),
  }),
]);

/**
 * A task creator that already resolved the environment (e.g. from its access decision) may store it as
 * `context.execution`; it then wins over the lookup below.
 */
export const taskEnvironmentSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, "must be owner/name"),
  internet: internetSchema,
  internetReason: z.string().optional(),
  allowedSandboxModes: z.array(z.enum(SANDBOX_MODES)).optional(),
  managedPolicy: z
    .object({
      name: z.string(),
      // Validated when the admin saved it (access/requirements.ts); carried here as stored.
      requirements: z.record(z.string(), z.unknown()).transform((r) => r as Requirements),
    })
    .optional(),
  canWrite: z.boolean(),
  noWriteReason: z.string().optional(),
});

const repoPermissionSchema = z.enum(["admin", "maintain", "write", "triage", "read", "none"]);

/**
 * Resolves the environment of a task from the workspace's current access data: its repository, the internet
 * access the requester really gets there, and the sandbox modes their managed policy allows. Write access is
 * what GitHub answered when the task was created (`context.repoPermission`); without it no PR is opened.
 */
export async function resolveTaskEnvironment(
  deps: Pick<Deps, "database">,
  task: Task,
): Promise<TaskEnvironment | undefined> {
  const environment = await lookUp(deps, task);
  // An Ask task writes nowhere, whatever the requester may do on GitHub: executors (and remote runners) see it.
  if (!environment || task.mode !== "ask") return environment;
  return { ...environment, canWrite: false, noWriteReason: ASK_NO_WRITE };
}

export const ASK_NO_WRITE = "this is an Ask task, which answers without changing the repository";

async function lookUp(deps: Pick<Deps, "database">, task: Task): Promise<TaskEnvironment | undefined> {
  const given = taskEnvironmentSchema.safeParse(task.context.execution);
  if (given.success) return given.data.managedPolicy ? given.data : withManagedPolicy(deps, task, given.data);
  if (!task.environmentId) return undefined;
  let indexed: Awaited<ReturnType<typeof getSnapshot>>;
  try {
    indexed = await getSnapshot(deps, task.workspaceId);
  } catch (error) {
    // The workspace is gone: no environment (the executor says so); anything else is worth a retry.
    if (error instanceof AppError && error.code === "not_found") return undefined;
    throw error;
  }
  const access = indexed.environments.get(task.environmentId);
  if (!access) return undefined;
  const member = indexed.members.get(task.requesterMemberId);
  const internet = member
    ? effectiveInternet(access.env, indexed.snapshot.toggles, member.permissionSet)
    : ({ access: { mode: "off" }, found: "the requester is no longer a member" } as const);
  const managed = member?.policy.policy;
  const sandboxModes = managed?.requirements.allowed_sandbox_modes;
  const permission = repoPermissionSchema.safeParse(task.context.repoPermission);
  const write = permission.success ? repoAllows("write", permission.data as RepoPermission) : null;
  return {
    id: access.env.id,
    name: access.env.name,
    repository: access.env.repository,
    internet: internet.access,
    ...(internet.access.mode === "off" ? { internetReason: internet.found } : {}),
    ...(sandboxModes ? { allowedSandboxModes: sandboxModes } : {}),
    ...(managed ? { managedPolicy: { name: managed.name, requirements: managed.requirements } } : {}),
    canWrite: write === "ok",
    ...(write === "ok"
      ? {}
      : {
          noWriteReason:
            write === null
              ? `the hub does not know whether you can write to ${access.env.repository}`
              : `GitHub says you cannot write to ${access.env.repository}`,
        }),
  };
}

/** A creator's own environment learns the requester's managed policy here, which wins over Team Config. */
async function withManagedPolicy(
  deps: Pick<Deps, "database">,
  task: Task,
  environment: TaskEnvironment,
): Promise<TaskEnvironment> {
  const indexed = await getSnapshot(deps, task.workspaceId).catch(() => null);
  const policy = indexed?.members.get(task.requesterMemberId)?.policy.policy;
  return policy
    ? { ...environment, managedPolicy: { name: policy.name, requirements: policy.requirements } }
    : environment;
}
