import { z } from "zod";
import { listGroups } from "../../../workspace/groups";
import { linkIdentity, unlinkIdentity } from "../../../workspace/identity-link";
import {
  createMember,
  findMemberRow,
  listMembers,
  type MemberView,
  requireMember,
} from "../../../workspace/members";
import { setMemberStatus } from "../../../workspace/owners";
import {
  type ConsoleApp,
  type ConsoleContext,
  changeGuard,
  consolePage,
  formFields,
  Notices,
  needs,
} from "../kit";
import { RefusalNotice } from "./form-errors";
import { AddMemberForm, KeySessionNotice, MemberDetails, MemberTable } from "./members-forms";
import { applyChange, badForm, choice, Link, memberName, type Refusal, textField } from "./owner-forms";

// Members: who is in the workspace, their status, ownership, groups and linked accounts; adding a member by
// email, deactivating and reactivating them, and mapping a GitHub login (as PUT /api/v1/workspaces/{id}/
// members/{memberId}/identities/github does). Every change goes through the admin API's domain functions.

const PATH = "/members";
/** A listing longer than this asks for a search rather than rendering thousands of rows. */
const SHOWN = 500;

const email = z.email();
/** GitHub logins: letters, digits, hyphens (and the underscore of managed users); a leading @ is dropped. */
const GITHUB_LOGIN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

function matches(m: MemberView, q: string): boolean {
  const needle = q.toLowerCase();
  return m.email.includes(needle) || (m.displayName ?? "").toLowerCase().includes(needle);
}

async function listView(
  c: ConsoleContext,
  kept: { refusal?: Refusal; email?: string; displayName?: string } = {},
) {
  const deps = c.var.deps;
  const workspaceId = c.var.viewer.workspaceId;
  const [members, groups] = await Promise.all([
    listMembers(deps, workspaceId),
    listGroups(deps, workspaceId),
  ]);
  const q = (c.req.query("q") ?? "").trim();
  const found = q ? members.filter((m) => matches(m, q)) : members;
  return consolePage(
    c,
    {
      title: "Members",
      path: PATH,
      children: (
        <>
          <h1>Members</h1>
          <KeySessionNotice c={c} deps={deps} />
          <Notices c={c} />
          <RefusalNotice refusal={kept.refusal} />
          <p>
            A member is an email in this workspace. Their roles come from their groups (
            <Link c={c} href="/roles">
              Roles
            </Link>
            ); a deactivated member can do nothing until reactivated.
          </p>
          <form method="get" action={PATH} class="row">
            {c.req.query("workspace") ? (
              <input type="hidden" name="workspace" value={c.var.viewer.workspaceId} />
            ) : null}
            <label>
              Find a member <input type="search" name="q" value={q} placeholder="Email or name" />
            </label>
            <button class="button" type="submit">
              Search
            </button>
          </form>
          {found.length === 0 ? <p class="muted">No member matches.</p> : null}
          {found.length > 0 ? <MemberTable c={c} members={found.slice(0, SHOWN)} groups={groups} /> : null}
          {found.length > SHOWN ? (
            <p class="muted">
              Showing {SHOWN} of {found.length} members; search to find others.
            </p>
          ) : null}
          <h2 id="add">Add a member</h2>
          <AddMemberForm c={c} email={kept.email} displayName={kept.displayName} />
        </>
      ),
    },
    kept.refusal?.status ?? 200,
  );
}

async function memberView(
  c: ConsoleContext,
  memberId: string,
  kept: { refusal?: Refusal; github?: string } = {},
) {
  const deps = c.var.deps;
  const workspaceId = c.var.viewer.workspaceId;
  if (!(await findMemberRow(deps, workspaceId, memberId))) {
    return consolePage(
      c,
      {
        title: "No such member",
        path: PATH,
        children: (
          <>
            <h1>No such member</h1>
            <p>
              This workspace has no such member.{" "}
              <Link c={c} href={PATH}>
                All members
              </Link>
            </p>
          </>
        ),
      },
      404,
    );
  }
  const [member, groups] = await Promise.all([
    requireMember(deps, workspaceId, memberId),
    listGroups(deps, workspaceId),
  ]);
  return consolePage(
    c,
    {
      title: memberName(member),
      path: PATH,
      children: (
        <>
          <p>
            <Link c={c} href={PATH}>
              Members
            </Link>
          </p>
          <h1>{memberName(member)}</h1>
          <KeySessionNotice c={c} deps={deps} />
          <Notices c={c} />
          <RefusalNotice refusal={kept.refusal} />
          <MemberDetails c={c} member={member} groups={groups} github={kept.github} />
        </>
      ),
    },
    kept.refusal?.status ?? 200,
  );
}

function githubLogin(fields: Record<string, string>): string {
  const login = textField(fields, "login", "GitHub login", 100).replace(/^@/, "");
  if (!GITHUB_LOGIN.test(login)) {
    throw badForm("GitHub login: letters, digits and hyphens only, as GitHub shows it (e.g. octocat).");
  }
  return login;
}

/** Members. */
export function membersPage(app: ConsoleApp) {
  app.get(PATH, needs("owner", PATH), (c) => listView(c));
  app.get(`${PATH}/:memberId`, needs("owner", PATH), (c) => memberView(c, c.req.param("memberId")));

  app.post(PATH, ...changeGuard("owner", PATH), async (c) => {
    const fields = await formFields(c);
    const viewer = c.var.viewer;
    return applyChange(
      c,
      (created: MemberView) => `${PATH}/${created.id}`,
      () => {
        const address = textField(fields, "email", "Email", 320);
        if (!email.safeParse(address).success) throw badForm("Email: enter an email address.");
        const displayName = (fields.displayName ?? "").trim();
        if (displayName.length > 200) throw badForm("Name: at most 200 characters.");
        return createMember(
          c.var.deps,
          viewer.workspaceId,
          { email: address, displayName: displayName || null },
          viewer.actor,
        );
      },
      (refusal) => listView(c, { refusal, email: fields.email, displayName: fields.displayName }),
    );
  });

  const memberChange = (
    suffix: string,
    run: (c: ConsoleContext, memberId: string, fields: Record<string, string>) => Promise<unknown>,
    anchor: string,
  ) =>
    app.post(`${PATH}/:memberId/${suffix}`, ...changeGuard("owner", PATH), async (c) => {
      const memberId = c.req.param("memberId");
      const fields = await formFields(c);
      return applyChange(
        c,
        `${PATH}/${memberId}#${anchor}`,
        () => run(c, memberId, fields),
        (refusal) => memberView(c, memberId, { refusal, github: fields.login }),
      );
    });

  memberChange(
    "status",
    (c, memberId, fields) =>
      setMemberStatus(
        c.var.deps,
        c.var.viewer.workspaceId,
        memberId,
        choice(fields, "status", "Status", ["active", "deactivated"] as const),
        c.var.viewer.actor,
      ),
    "status",
  );
  memberChange(
    "github",
    (c, memberId, fields) =>
      linkIdentity(c.var.deps, {
        workspaceId: c.var.viewer.workspaceId,
        memberId,
        platform: "github",
        id: githubLogin(fields),
        source: "admin",
        actor: c.var.viewer.actor,
      }),
    "github",
  );
  memberChange(
    "github/unlink",
    (c, memberId) =>
      unlinkIdentity(c.var.deps, {
        workspaceId: c.var.viewer.workspaceId,
        memberId,
        platform: "github",
        actor: c.var.viewer.actor,
      }),
    "github",
  );
}
