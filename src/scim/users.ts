import { Hono } from "hono";
import { z } from "zod";
import type { ScimEnv } from "../context";
import {
  createMember,
  deleteMember,
  listMembers,
  type MemberPatch,
  type MemberView,
  requireMember,
  updateMember,
} from "../workspace/members";
import { project } from "./attributes";
import { ScimError, scimJson } from "./errors";
import { booleanish, page, parseFilter } from "./filter";
import { parseBody, parsePatch, readJson } from "./patch";
import { USER_SCHEMA } from "./schemas";

const EMAIL_PATH = /^emails(?:\[[^\]]*\])?(?:\.value)?$/;

// SCIM Users are workspace members: userName is the member's email (how Slack and Linear users are matched),
// `active: false` deactivates (access ends at once; the member, their groups and identities stay).

const nameSchema = z
  .object({
    givenName: z.string().nullish(),
    familyName: z.string().nullish(),
    formatted: z.string().nullish(),
  })
  .partial();
const emailSchema = z.object({ value: z.string(), primary: z.union([z.boolean(), z.string()]).optional() });

const userBody = z.looseObject({
  userName: z.string().trim().min(1),
  externalId: z.string().nullish(),
  displayName: z.string().nullish(),
  name: nameSchema.optional(),
  emails: z.array(emailSchema).optional(),
  active: z.union([z.boolean(), z.string()]).optional(),
});
type UserBody = z.infer<typeof userBody>;

export function toScimUser(member: MemberView, baseUrl: string) {
  return {
    schemas: [USER_SCHEMA],
    id: member.id,
    ...(member.externalId ? { externalId: member.externalId } : {}),
    userName: member.email,
    name: { givenName: member.givenName ?? undefined, familyName: member.familyName ?? undefined },
    ...(member.displayName ? { displayName: member.displayName } : {}),
    emails: [{ value: member.email, type: "work", primary: true }],
    active: member.status === "active",
    groups: member.groupIds.map((value) => ({ value, $ref: `${baseUrl}/Groups/${value}` })),
    meta: {
      resourceType: "User",
      created: new Date(member.createdAt).toISOString(),
      lastModified: new Date(member.updatedAt).toISOString(),
      location: `${baseUrl}/Users/${member.id}`,
    },
  };
}

/** The member's email: userName when it is one, otherwise the primary (or first) email. */
function emailOf(body: Pick<UserBody, "userName" | "emails">): string {
  if (body.userName.includes("@")) return body.userName;
  const primary = body.emails?.find((e) => booleanish(e.primary)) ?? body.emails?.[0];
  if (!primary)
    throw new ScimError(
      400,
      "userName must be an email, or an email must be given in emails.",
      "invalidValue",
    );
  return primary.value;
}

function activeOf(value: unknown): boolean {
  const active = booleanish(value);
  if (active === undefined) throw new ScimError(400, "active must be true or false.", "invalidValue");
  return active;
}

const fromBody = (body: UserBody) => ({
  email: emailOf(body),
  externalId: body.externalId ?? null,
  displayName: body.displayName ?? body.name?.formatted ?? null,
  givenName: body.name?.givenName ?? null,
  familyName: body.name?.familyName ?? null,
  status: (body.active === undefined || activeOf(body.active)
    ? "active"
    : "deactivated") as MemberView["status"],
});

/** Applies one attribute of a PATCH; attributes the hub does not keep (title, addresses, ...) are ignored. */
function applyAttribute(patch: MemberPatch, path: string, value: unknown, remove: boolean): void {
  // Entra may name core attributes with the schema URN in front.
  const bare = path.toLowerCase().startsWith(`${USER_SCHEMA.toLowerCase()}:`)
    ? path.slice(USER_SCHEMA.length + 1)
    : path;
  const key = bare.toLowerCase();
  const text = remove || value === null ? null : typeof value === "string" ? value : undefined;
  if (key === "active") {
    if (remove) throw new ScimError(400, "active cannot be removed.", "mutability");
    patch.status = activeOf(value) ? "active" : "deactivated";
  } else if (key === "username" || EMAIL_PATH.test(key)) {
    // `emails[type eq "work"].value` (Entra) names the address; `emails[...].primary` and `.type` change
    // nothing the hub keeps, so they fall through to the ignored attributes.
    if (typeof value === "string" && !remove) patch.email = value;
    else if (Array.isArray(value) && !remove)
      patch.email = emailOf({ userName: "", emails: z.array(emailSchema).parse(value) });
  } else if (key === "externalid" && text !== undefined) patch.externalId = text;
  else if (key === "displayname" && text !== undefined) patch.displayName = text;
  else if (key === "name.givenname" && text !== undefined) patch.givenName = text;
  else if (key === "name.familyname" && text !== undefined) patch.familyName = text;
  else if (key === "name" && typeof value === "object" && value !== null) {
    const name = nameSchema.parse(value);
    if (name.givenName !== undefined) patch.givenName = name.givenName;
    if (name.familyName !== undefined) patch.familyName = name.familyName;
  }
}

export function scimUsers() {
  const users = new Hono<ScimEnv>();

  users.get("/", async (c) => {
    const filter = parseFilter(c.req.query("filter"), ["userName", "externalId", "id"]);
    const { deps, workspaceId, baseUrl } = c.var;
    let members: MemberView[];
    if (filter?.attribute === "userName")
      members = await listMembers(deps, workspaceId, { email: filter.value });
    else if (filter?.attribute === "externalId")
      members = await listMembers(deps, workspaceId, { externalId: filter.value });
    else members = await listMembers(deps, workspaceId);
    if (filter?.attribute === "id") members = members.filter((m) => m.id === filter.value);
    const query = c.req.query();
    return scimJson(
      c,
      page(
        members.map((m) => project(toScimUser(m, baseUrl), query)),
        query,
      ),
    );
  });

  users.post("/", async (c) => {
    const { deps, workspaceId, actor, baseUrl } = c.var;
    const body = parseBody(userBody, await readJson(c.req.raw));
    const member = await createMember(deps, workspaceId, fromBody(body), actor);
    return scimJson(c, toScimUser(member, baseUrl), 201);
  });

  users.get("/:id", async (c) => {
    const { deps, workspaceId, baseUrl } = c.var;
    const member = await requireMember(deps, workspaceId, c.req.param("id"));
    return scimJson(c, project(toScimUser(member, baseUrl), c.req.query()));
  });

  users.put("/:id", async (c) => {
    const { deps, workspaceId, actor, baseUrl } = c.var;
    const body = parseBody(userBody, await readJson(c.req.raw));
    const member = await updateMember(deps, workspaceId, c.req.param("id"), fromBody(body), actor);
    return scimJson(c, toScimUser(member, baseUrl));
  });

  users.patch("/:id", async (c) => {
    const { deps, workspaceId, actor, baseUrl } = c.var;
    const id = c.req.param("id");
    const operations = parsePatch(await readJson(c.req.raw));
    const patch: MemberPatch = {};
    for (const { op, path, value } of operations) {
      if (path) applyAttribute(patch, path, value, op === "remove");
      else if (typeof value === "object" && value !== null && op !== "remove") {
        for (const [key, v] of Object.entries(value)) applyAttribute(patch, key, v, false);
      } else throw new ScimError(400, `A ${op} without a path needs an object value.`, "invalidSyntax");
    }
    const member =
      Object.keys(patch).length > 0
        ? await updateMember(deps, workspaceId, id, patch, actor)
        : await requireMember(deps, workspaceId, id);
    return scimJson(c, toScimUser(member, baseUrl));
  });

  // DELETE removes the member (RFC 7644 §3.6: the resource is then gone, a GET answers 404), with their
  // group memberships and identities; the audit log keeps the member as they were. This also frees the
  // email, so the identity provider can provision the person again. To end access but keep the member,
  // an identity provider sets `active: false` (Okta and Entra deactivate before they delete).
  users.delete("/:id", async (c) => {
    const { deps, workspaceId, actor } = c.var;
    await deleteMember(deps, workspaceId, c.req.param("id"), actor);
    return c.body(null, 204);
  });

  return users;
}
