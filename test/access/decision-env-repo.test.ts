// Decision table, part 3: environments (visibility, editing) and repository access as GitHub reports it.
import { type Row, runTable, viaApi } from "./table";

const environments: Row[] = [
  { name: "no environment chosen", req: { environmentId: undefined }, code: "ENV_NOT_FOUND" },
  { name: "environment does not exist", req: { environmentId: "env-gone" }, code: "ENV_NOT_FOUND" },
  {
    name: "private environment hidden from others",
    req: { actor: { memberId: "gina", platform: "slack" }, environmentId: "env-secret" },
    code: "ENV_NOT_VISIBLE",
  },
  { name: "private environment: creator runs", req: { environmentId: "env-secret" }, code: "ALLOWED" },
  {
    name: "private environment: collaborator runs",
    req: { actor: { memberId: "frank", platform: "slack" }, environmentId: "env-secret" },
    code: "ALLOWED",
  },
  {
    name: "private environment hidden from the owner too",
    req: { actor: { memberId: "dave", platform: "slack" }, environmentId: "env-secret", githubLinked: true },
    code: "ENV_NOT_VISIBLE",
  },
  {
    name: "collaborator edits the environment",
    req: viaApi("alice", { action: "environment.edit" }),
    code: "ALLOWED",
  },
  {
    name: "member who is not a collaborator cannot edit",
    req: viaApi("frank", { action: "environment.edit" }),
    code: "ENV_NOT_EDITABLE",
  },
  {
    name: "Codex Admin edits any environment",
    req: viaApi("bob", { action: "environment.edit", environmentId: "env-secret" }),
    code: "ALLOWED",
  },
  {
    name: "owner deletes any environment",
    req: viaApi("dave", { action: "environment.delete", environmentId: "env-secret" }),
    code: "ALLOWED",
  },
  {
    name: "private environment not editable by an outsider",
    req: viaApi("carol", { action: "environment.edit", environmentId: "env-secret" }),
    code: "ENV_NOT_VISIBLE",
  },
  {
    name: "collaborator cannot delete",
    req: viaApi("alice", { action: "environment.delete" }),
    code: "ENV_NOT_EDITABLE",
  },
  { name: "creator deletes", req: viaApi("gina", { action: "environment.delete" }), code: "ALLOWED" },
];

const repository: Row[] = [
  { name: "GitHub says no access", req: { repoPermission: "none" }, code: "REPO_NO_ACCESS" },
  { name: "GitHub triage is enough to run", req: { repoPermission: "triage" }, code: "ALLOWED" },
  {
    name: "read cannot open a PR",
    req: { action: "pr.open", repoPermission: "read" },
    code: "REPO_NO_WRITE",
  },
  { name: "read cannot push", req: { action: "pr.push", repoPermission: "triage" }, code: "REPO_NO_WRITE" },
  { name: "write opens a PR", req: { action: "pr.open", repoPermission: "write" }, code: "ALLOWED" },
  { name: "maintain pushes", req: { action: "pr.push", repoPermission: "maintain" }, code: "ALLOWED" },
  {
    name: "no linked GitHub login",
    req: { actor: { memberId: "dave", platform: "slack" }, repoPermission: null },
    code: "IDENTITY_UNLINKED",
  },
  {
    name: "linked login but GitHub gave no answer fails closed",
    req: { repoPermission: undefined },
    code: "REPO_NO_ACCESS",
  },
  {
    name: "owner refused by GitHub",
    req: { actor: { memberId: "dave", platform: "slack" }, githubLinked: true, repoPermission: "none" },
    code: "REPO_NO_ACCESS",
  },
  {
    name: "review needs read on the repository",
    req: { surface: "github", action: "review.request", repoPermission: "none" },
    code: "REPO_NO_ACCESS",
  },
  {
    name: "editing an environment needs no repository access",
    req: viaApi("bob", { action: "environment.edit", repoPermission: "none" }),
    code: "ALLOWED",
  },
];

runTable("environments", environments);
runTable("repository access (GitHub's answer always wins)", repository);
