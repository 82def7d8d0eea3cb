import fc from "fast-check";
import {
  ACTIONS,
  type AccessRequest,
  type App,
  type AppAccess,
  PERMISSIONS,
  type PluginPolicy,
  type RepoPermission,
  SURFACES,
  type WorkspaceSnapshot,
} from "../../src/access/types";

// Random small workspaces and requests for property tests. Sizes stay small so that memberships, role
// assignments and app audiences overlap often, which is where mistakes in the rules would show.

const GROUPS = ["g0", "g1", "g2", "g3", "g4"];
const MEMBERS = ["m0", "m1", "m2", "m3"];
const ROLES = ["r0", "r1", "r2", "r3"];

const accessArb: fc.Arbitrary<AppAccess> = fc.oneof(
  fc.constant<AppAccess>({ type: "all" }),
  fc.record({
    type: fc.constant("assigned" as const),
    memberIds: fc.subarray(MEMBERS),
    groupIds: fc.subarray(GROUPS),
    roleIds: fc.subarray(ROLES),
  }),
);

const appArb = (id: string, kind: App["kind"]): fc.Arbitrary<App> =>
  fc.record({
    id: fc.constant(id),
    name: fc.constant(id),
    kind: fc.constant(kind),
    enabled: fc.boolean(),
    status: fc.constantFrom("draft" as const, "published" as const),
    access: accessArb,
    mode: fc.constantFrom("read_only" as const, "read_write" as const),
    confirmWrites: fc.boolean(),
  });

const policyArb: fc.Arbitrary<PluginPolicy> = fc.constantFrom("none", "available", "installed");

export const snapshotArb: fc.Arbitrary<WorkspaceSnapshot> = fc.record({
  workspaceId: fc.constant("ws"),
  toggles: fc.record({
    codexLocal: fc.boolean(),
    codexCloud: fc.boolean(),
    githubConnector: fc.boolean(),
    codeReview: fc.boolean(),
    slackFullAnswers: fc.boolean(),
    linearFullAnswers: fc.boolean(),
    agentInternet: fc.boolean(),
    zeroDataRetention: fc.boolean(),
  }),
  members: fc
    .tuple(...MEMBERS.map(() => fc.tuple(fc.subarray(GROUPS), fc.boolean(), fc.boolean())))
    .map((list) =>
      list.map(([groupIds, isOwner, linked], i) => ({
        id: MEMBERS[i] as string,
        email: `${MEMBERS[i]}@x.test`,
        status: "active" as const,
        isOwner: isOwner && i === 0,
        groupIds,
        identities: linked ? { githubLogin: `gh-${i}`, slackUserId: `S${i}` } : {},
      })),
    ),
  groups: fc.constant(GROUPS.map((id) => ({ id, name: id }))),
  roles: fc
    .tuple(...ROLES.map(() => fc.subarray([...PERMISSIONS])))
    .map((perms) =>
      perms.map((permissions, i) => ({ id: ROLES[i] as string, name: `role ${i}`, permissions })),
    ),
  roleAssignments: fc.subarray(GROUPS.flatMap((groupId) => ROLES.map((roleId) => ({ groupId, roleId })))),
  defaultRoleId: fc.constantFrom(null, ...ROLES),
  apps: fc.tuple(
    appArb("a-slack", "slack"),
    appArb("a-github", "github"),
    appArb("a-linear", "linear"),
    appArb("a-custom", "custom"),
  ),
  plugins: fc.tuple(
    fc.record({
      id: fc.constant("p0"),
      name: fc.constant("p0"),
      enabled: fc.boolean(),
      skills: fc.constant([]),
      requiredAppIds: fc.subarray(["a-custom", "a-linear"]),
      optionalAppIds: fc.constant(["a-slack"]),
      policyByRole: fc.dictionary(fc.constantFrom(...ROLES), policyArb),
      defaultPolicy: policyArb,
    }),
  ),
  environments: fc.tuple(
    ...["e0", "e1"].map((id) =>
      fc.record({
        id: fc.constant(id),
        name: fc.constant(id),
        description: fc.constant(""),
        repository: fc.constant(`acme/${id}`),
        visibility: fc.constantFrom("workspace" as const, "private" as const),
        creatorId: fc.constantFrom(...MEMBERS),
        collaboratorIds: fc.subarray(MEMBERS),
        internet: fc.constantFrom(
          { mode: "off" as const },
          { mode: "allowlist" as const, domains: ["pypi.org"], methods: ["GET"] },
        ),
      }),
    ),
  ),
  policies: fc.constant([
    { id: "pol0", name: "zero", requirements: {} },
    { id: "pol1", name: "one", requirements: { allowed_sandbox_modes: ["read-only" as const] } },
  ]),
  policyAssignments: fc.record({
    rules: fc.array(
      fc.record({ groupId: fc.constantFrom(...GROUPS), policyId: fc.constantFrom("pol0", "pol1") }),
      {
        maxLength: 4,
      },
    ),
    defaultPolicyId: fc.constantFrom(null, "pol0"),
  }),
}) as fc.Arbitrary<WorkspaceSnapshot>;

const repoArb: fc.Arbitrary<RepoPermission | null> = fc.constantFrom(
  null,
  "none",
  "read",
  "triage",
  "write",
  "maintain",
  "admin",
);

export const requestArb: fc.Arbitrary<AccessRequest> = fc.record({
  actor: fc.record({
    memberId: fc.constantFrom(...MEMBERS),
    platform: fc.constantFrom("slack" as const, "github" as const, "linear" as const, "api" as const),
  }),
  surface: fc.constantFrom(...SURFACES),
  action: fc.constantFrom(...ACTIONS),
  environmentId: fc.constantFrom("e0", "e1"),
  repoPermission: repoArb,
  confirmed: fc.boolean(),
  pluginId: fc.option(fc.constant("p0"), { nil: undefined }),
});

export { GROUPS, MEMBERS, ROLES };
