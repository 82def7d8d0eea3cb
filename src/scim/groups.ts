import { Hono } from "hono";
import { z } from "zod";
import type { ScimEnv } from "../context";
import {
  changeGroup,
  createGroup,
  deleteGroup,
  type GroupChange,
  type GroupView,
  listGroups,
  requireGroup,
} from "../workspace/groups";
import { project } from "./attributes";
import { ScimError, scimJson } from "./errors";
import { page, parseFilter } from "./filter";
import { type PatchOperation, parseBody, parsePatch, readJson } from "./patch";
import { GROUP_SCHEMA } from "./schemas";

// SCIM Groups are workspace groups: roles and managed policies are assigned to them, so an identity
// provider's group membership decides what a member may do (e.g. an IdP-backed "Codex Admin" group).

const memberRef = z.object({ value: z.string().min(1) });
const groupBody = z.looseObject({
  displayName: z.string().trim().min(1).max(200),
  externalId: z.string().nullish(),
  members: z.array(memberRef).optional(),
});

export function toScimGroup(group: GroupView, baseUrl: string) {
  return {
    schemas: [GROUP_SCHEMA],
    id: group.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.name,
    members: group.memberIds.map((value) => ({ value, $ref: `${baseUrl}/Users/${value}`, type: "User" })),
    meta: {
      resourceType: "Group",
      created: new Date(group.createdAt).toISOString(),
      lastModified: new Date(group.updatedAt).toISOString(),
      location: `${baseUrl}/Groups/${group.id}`,
    },
  };
}

const memberIdsOf = (value: unknown): string[] => {
  const list = Array.isArray(value) ? value : [value];
  return parseBody(z.array(memberRef), list).map((m) => m.value);
};

/** `members[value eq "id"]`: the filter form Entra and Okta use to remove one member. */
const MEMBER_PATH = /^members\[\s*value\s+eq\s+"([^"]+)"\s*\]$/i;

const push = (list: string[] | undefined, ids: string[]): string[] => [...(list ?? []), ...ids];

function applyOperation(change: GroupChange, { op, path, value }: PatchOperation): void {
  const target = path?.toLowerCase();
  const filtered = path ? MEMBER_PATH.exec(path) : null;
  if (filtered) {
    if (op !== "remove")
      throw new ScimError(400, "Only remove may target members[value eq ...].", "invalidPath");
    change.removeMemberIds = push(change.removeMemberIds, [filtered[1]!]);
  } else if (target === "members") {
    if (op === "add") change.addMemberIds = push(change.addMemberIds, memberIdsOf(value));
    else if (op === "replace") change.memberIds = memberIdsOf(value ?? []);
    // A remove of "members" with no value removes every member (RFC 7644 §3.5.2.2).
    else if (value === undefined) change.memberIds = [];
    else change.removeMemberIds = push(change.removeMemberIds, memberIdsOf(value));
  } else if (target === "displayname") {
    if (op === "remove" || typeof value !== "string")
      throw new ScimError(400, "displayName must be a string.", "invalidValue");
    change.name = value;
  } else if (target === "externalid") {
    change.externalId = op === "remove" ? null : typeof value === "string" ? value : null;
  } else if (target === undefined && op !== "remove" && typeof value === "object" && value !== null) {
    // Okta: { op: "replace", value: { id, displayName } }; others put members here too.
    for (const [key, v] of Object.entries(value)) {
      if (key === "id" || key === "schemas" || key === "meta") continue;
      applyOperation(change, { op, path: key, value: v });
    }
  } else {
    throw new ScimError(400, `Unsupported PATCH path "${path ?? ""}" for a group.`, "invalidPath");
  }
}

export function scimGroups() {
  const groups = new Hono<ScimEnv>();
  groups.get("/", async (c) => {
    const filter = parseFilter(c.req.query("filter"), ["displayName", "externalId", "id"]);
    const { deps, workspaceId, baseUrl } = c.var;
    let found: GroupView[];
    if (filter?.attribute === "displayName")
      found = await listGroups(deps, workspaceId, { name: filter.value });
    else if (filter?.attribute === "externalId")
      found = await listGroups(deps, workspaceId, { externalId: filter.value });
    else found = await listGroups(deps, workspaceId);
    if (filter?.attribute === "id") found = found.filter((g) => g.id === filter.value);
    const query = c.req.query();
    return scimJson(
      c,
      page(
        found.map((g) => project(toScimGroup(g, baseUrl), query)),
        query,
      ),
    );
  });

  groups.post("/", async (c) => {
    const { deps, workspaceId, actor, baseUrl } = c.var;
    const body = parseBody(groupBody, await readJson(c.req.raw));
    const group = await createGroup(
      deps,
      workspaceId,
      {
        name: body.displayName,
        externalId: body.externalId ?? null,
        memberIds: body.members?.map((m) => m.value),
      },
      actor,
    );
    return scimJson(c, toScimGroup(group, baseUrl), 201);
  });

  groups.get("/:id", async (c) => {
    const { deps, workspaceId, baseUrl } = c.var;
    const group = await requireGroup(deps, workspaceId, c.req.param("id"));
    return scimJson(c, project(toScimGroup(group, baseUrl), c.req.query()));
  });

  groups.put("/:id", async (c) => {
    const { deps, workspaceId, actor, baseUrl } = c.var;
    const body = parseBody(groupBody, await readJson(c.req.raw));
    const change: GroupChange = {
      name: body.displayName,
      externalId: body.externalId ?? null,
      memberIds: body.members?.map((m) => m.value) ?? [],
    };
    return scimJson(
      c,
      toScimGroup(await changeGroup(deps, workspaceId, c.req.param("id"), change, actor), baseUrl),
    );
  });

  groups.patch("/:id", async (c) => {
    const { deps, workspaceId, actor, baseUrl } = c.var;
    const change: GroupChange = {};
    for (const operation of parsePatch(await readJson(c.req.raw))) applyOperation(change, operation);
    return scimJson(
      c,
      toScimGroup(await changeGroup(deps, workspaceId, c.req.param("id"), change, actor), baseUrl),
    );
  });

  groups.delete("/:id", async (c) => {
    const { deps, workspaceId, actor } = c.var;
    await deleteGroup(deps, workspaceId, c.req.param("id"), actor);
    return c.body(null, 204);
  });

  return groups;
}
