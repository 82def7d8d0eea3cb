import { decide } from "../src/access/decide";
import { indexSnapshot } from "../src/access/snapshot-index";
import {
  ACTIONS,
  type AccessRequest,
  type App,
  type Member,
  PERMISSIONS,
  type RepoPermission,
  type Surface,
  type WorkspaceSnapshot,
} from "../src/access/types";

// Decisions per second on a warm index of a workspace with 10,000 members, 1,000 groups and 50 roles.
// Target: < 10 µs per decision. Prints the figure and its ratio to a trivial Set-lookup loop measured in the
// same run, so results from different machines can be compared. No assertion on time.
// Run: npx tsx bench/access-decide.ts

const MEMBERS = 10_000;
const GROUPS = 1_000;
const ROLES = 50;
const REQUESTS = 20_000;

// Deterministic pseudo-random numbers (mulberry32) so every run measures the same workspace.
let seed = 0x5eed;
const rand = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
const some = <T>(list: readonly T[], max: number): T[] => [
  ...new Set(Array.from({ length: int(max + 1) }, () => pick(list))),
];

function buildWorkspace(): WorkspaceSnapshot {
  const groupIds = Array.from({ length: GROUPS }, (_, i) => `g${i}`);
  const roleIds = Array.from({ length: ROLES }, (_, i) => `r${i}`);
  const members: Member[] = Array.from({ length: MEMBERS }, (_, i) => ({
    id: `m${i}`,
    email: `user${i}@acme.test`,
    status: rand() < 0.02 ? "deactivated" : "active",
    isOwner: rand() < 0.005,
    groupIds: some(groupIds, 4),
    identities: rand() < 0.9 ? { slackUserId: `U${i}`, githubLogin: `gh-${i}`, linearUserId: `L${i}` } : {},
  }));
  const app = (id: string, kind: App["kind"], extra: Partial<App> = {}): App => ({
    id,
    name: id,
    kind,
    enabled: true,
    status: "published",
    access: { type: "all" },
    mode: "read_write",
    confirmWrites: false,
    ...extra,
  });
  return {
    workspaceId: "bench",
    toggles: {
      codexLocal: true,
      codexCloud: true,
      githubConnector: true,
      codeReview: true,
      slackFullAnswers: false,
      linearFullAnswers: false,
      agentInternet: true,
      zeroDataRetention: false,
    },
    members,
    groups: groupIds.map((id) => ({ id, name: id })),
    roles: roleIds.map((id) => ({ id, name: id, permissions: some(PERMISSIONS, 3) })),
    roleAssignments: groupIds.flatMap((groupId) => some(roleIds, 2).map((roleId) => ({ groupId, roleId }))),
    defaultRoleId: "r0",
    apps: [
      app("slack", "slack", { confirmWrites: true }),
      app("github", "github"),
      app("linear", "linear", {
        access: {
          type: "assigned",
          memberIds: [],
          groupIds: some(groupIds, 300),
          roleIds: some(roleIds, 10),
        },
      }),
      ...Array.from({ length: 20 }, (_, i) => app(`custom${i}`, "custom", { enabled: rand() < 0.8 })),
    ],
    plugins: Array.from({ length: 20 }, (_, i) => ({
      id: `p${i}`,
      name: `plugin ${i}`,
      enabled: true,
      skills: [],
      requiredAppIds: some(["custom0", "custom1", "custom2", "linear"], 2),
      optionalAppIds: [],
      policyByRole: Object.fromEntries(
        some(roleIds, 10).map((r) => [r, pick(["none", "available", "installed"])]),
      ),
      defaultPolicy: "available",
    })),
    environments: Array.from({ length: 500 }, (_, i) => ({
      id: `e${i}`,
      name: `env ${i}`,
      description: "",
      repository: `acme/repo-${i}`,
      visibility: rand() < 0.7 ? "workspace" : "private",
      creatorId: `m${int(MEMBERS)}`,
      collaboratorIds: Array.from({ length: int(6) }, () => `m${int(MEMBERS)}`),
      internet:
        rand() < 0.5 ? { mode: "off" } : { mode: "allowlist", domains: ["pypi.org"], methods: ["GET"] },
    })),
    policies: Array.from({ length: 10 }, (_, i) => ({
      id: `pol${i}`,
      name: `policy ${i}`,
      requirements: {},
    })),
    policyAssignments: {
      rules: Array.from({ length: 30 }, () => ({ groupId: pick(groupIds), policyId: `pol${int(10)}` })),
      defaultPolicyId: "pol0",
    },
  };
}

const REPO: readonly (RepoPermission | null)[] = ["read", "write", "admin", "triage", "none", null];
const REMOTE: readonly Surface[] = ["slack", "github", "linear", "api", "web"];

function buildRequests(): AccessRequest[] {
  return Array.from({ length: REQUESTS }, () => {
    const action = pick(ACTIONS);
    const i = int(MEMBERS + 100); // a few unknown members too
    const surface: Surface = action === "local.use" ? "local" : pick(REMOTE);
    const byPlatform = surface === "slack" && rand() < 0.5;
    return {
      actor: byPlatform
        ? { memberId: null, platform: "slack", platformUserId: `U${i}` }
        : { memberId: `m${i}`, platform: surface === "local" ? "web" : (surface as "api") },
      surface,
      action,
      environmentId: `e${int(500)}`,
      repoPermission: pick(REPO),
      confirmed: rand() < 0.5,
      pluginId: rand() < 0.2 ? `p${int(20)}` : undefined,
    };
  });
}

function time(label: string, iterations: number, body: (i: number) => number): number {
  const start = performance.now();
  let sink = 0;
  for (let i = 0; i < iterations; i++) sink += body(i);
  const ms = performance.now() - start;
  if (sink === -1) console.log(label); // keeps the loop from being optimised away
  return (ms * 1000) / iterations; // µs per iteration
}

const t0 = performance.now();
const snapshot = buildWorkspace();
const t1 = performance.now();
const index = indexSnapshot(snapshot);
const t2 = performance.now();
const requests = buildRequests();
const ids = requests.map((r) => r.actor.memberId ?? "");
const idSet = new Set(snapshot.members.map((m) => m.id));

const codes = new Map<string, number>();
for (const r of requests) {
  const { code } = decide(r, index);
  codes.set(code, (codes.get(code) ?? 0) + 1);
}

const N = 2_000_000;
time("warm-up", 200_000, (i) => (decide(requests[i % REQUESTS] as AccessRequest, index).allowed ? 1 : 0));
const baseline = time("baseline", N, (i) => (idSet.has(ids[i % REQUESTS] as string) ? 1 : 0));
const perDecision = time("decide", N, (i) =>
  decide(requests[i % REQUESTS] as AccessRequest, index).allowed ? 1 : 0,
);

const fmt = (n: number, digits = 2) => n.toFixed(digits);
console.log(
  `workspace: ${MEMBERS} members, ${GROUPS} groups, ${ROLES} roles, ${snapshot.environments.length} environments`,
);
console.log(`build ${fmt(t1 - t0, 0)} ms, index ${fmt(t2 - t1, 0)} ms (paid once per workspace change)`);
console.log(`decisions: ${N.toLocaleString("en-US")} over ${REQUESTS} varied requests`);
console.log(
  `  ${fmt(perDecision)} µs per decision, ${Math.round(1e6 / perDecision).toLocaleString("en-US")} decisions/s`,
);
console.log(
  `  baseline Set lookup: ${fmt(baseline * 1000, 1)} ns; ratio decide/baseline: ${fmt(perDecision / baseline, 0)}x`,
);
console.log(`  target < 10 µs: ${perDecision < 10 ? "met" : "NOT met"}`);
console.log(
  `outcomes: ${[...codes]
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n}`)
    .join(", ")}`,
);
