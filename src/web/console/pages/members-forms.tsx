import type { Deps } from "../../../deps";
import type { GroupView } from "../../../workspace/groups";
import type { IdentityView, MemberView } from "../../../workspace/members";
import { type ConsoleContext, ConsoleForm } from "../kit";
import { Link, memberName } from "./owner-forms";

// The pieces of the members pages: who is in the workspace, how each person's platform accounts are linked
// (Slack and Linear by the email their APIs report, GitHub only by the member's own OAuth connection or an
// admin's mapping), and the forms that add, deactivate and map them.

export const PLATFORMS = [
  { platform: "slack", label: "Slack" },
  { platform: "github", label: "GitHub" },
  { platform: "linear", label: "Linear" },
] as const;

const SOURCES: Readonly<Record<IdentityView["source"], string>> = {
  email: "matched by email",
  oauth: "connected by the member",
  admin: "mapped by an admin",
  seed: "set up with the workspace",
};

const identityOf = (m: MemberView, platform: IdentityView["platform"]) =>
  m.identities.find((i) => i.platform === platform);

function IdentityCell(props: { identity: IdentityView | undefined }) {
  const i = props.identity;
  if (!i) return <span class="muted">not linked</span>;
  return (
    <>
      <code>{i.display}</code>
      <span class="help">{SOURCES[i.source]}</span>
    </>
  );
}

export const StatusBadge = (props: { status: MemberView["status"] }) => (
  <span class={props.status === "active" ? "status ok" : "status failed"}>{props.status}</span>
);

/** Shown to a viewer signed in with an API key: their changes carry the key's name, not theirs. */
export function KeySessionNotice(props: { c: ConsoleContext; deps: Pick<Deps, "config"> }) {
  const { c, deps } = props;
  if (c.var.viewer.memberId !== null) return null;
  const slack = Boolean(deps.config.slack.clientId && deps.config.slack.clientSecret);
  const github = Boolean(deps.config.github.clientId && deps.config.github.clientSecret);
  const providers = [slack ? "Slack" : null, github ? "GitHub" : null].filter(Boolean).join(" or ");
  return (
    <div class="notice warn" role="note">
      <p>
        You signed in with an API key, so every change you make here is recorded in the audit log as that key
        (<code>{c.var.viewer.actor}</code>), not as a person.
      </p>
      <p>
        {providers
          ? `To have your own name on changes, sign out and sign in with ${providers}.`
          : "To have your own name on changes, sign in with Slack or GitHub once an operator has set up their OAuth clients (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, or GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET)."}
      </p>
    </div>
  );
}

/** Members with their status, owner flag, groups and linked accounts; each links to its own page. */
export function MemberTable(props: { c: ConsoleContext; members: MemberView[]; groups: GroupView[] }) {
  const groupName = (id: string) => props.groups.find((g) => g.id === id)?.name ?? id;
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Status</th>
            <th scope="col">Owner</th>
            <th scope="col">Groups</th>
            {PLATFORMS.map((p) => (
              <th scope="col">{p.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.members.map((m) => (
            <tr>
              <td>
                <Link c={props.c} href={`/members/${m.id}`}>
                  {memberName(m)}
                </Link>
                {m.displayName ? <span class="help">{m.email}</span> : null}
              </td>
              <td>
                <StatusBadge status={m.status} />
              </td>
              <td>{m.isOwner ? "owner" : ""}</td>
              <td>{m.groupIds.map(groupName).join(", ") || <span class="muted">none</span>}</td>
              {PLATFORMS.map((p) => (
                <td>
                  <IdentityCell identity={identityOf(m, p.platform)} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AddMemberForm(props: { c: ConsoleContext; email?: string; displayName?: string }) {
  return (
    <ConsoleForm c={props.c} action="/members">
      <label>
        Email
        <span class="help">
          Their Slack and Linear accounts are linked by this email when they first use Codex there.
        </span>
        <input type="email" name="email" value={props.email ?? ""} required maxlength={320} />
      </label>
      <label>
        Name <span class="help">Optional.</span>
        <input type="text" name="displayName" value={props.displayName ?? ""} maxlength={200} />
      </label>
      <div>
        <button class="button primary" type="submit">
          Add member
        </button>
      </div>
    </ConsoleForm>
  );
}

/** One member: their details, linked accounts, and the forms that deactivate them and map their GitHub login. */
export function MemberDetails(props: {
  c: ConsoleContext;
  member: MemberView;
  groups: GroupView[];
  github?: string;
}) {
  const { c, member: m } = props;
  const github = identityOf(m, "github");
  return (
    <>
      <dl>
        <dt>Email</dt>
        <dd>{m.email}</dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={m.status} />
        </dd>
        <dt>Owner</dt>
        <dd>
          {m.isOwner ? "Yes" : "No"} <span class="muted">(change it on </span>
          <Link c={c} href="/roles#owners">
            Roles
          </Link>
          <span class="muted">)</span>
        </dd>
        <dt>Groups</dt>
        <dd>
          {m.groupIds.map((id) => props.groups.find((g) => g.id === id)?.name ?? id).join(", ") || (
            <span class="muted">none</span>
          )}
        </dd>
        {PLATFORMS.map((p) => (
          <>
            <dt>{p.label}</dt>
            <dd>
              <IdentityCell identity={identityOf(m, p.platform)} />
            </dd>
          </>
        ))}
      </dl>

      <h2 id="github">GitHub login</h2>
      <p class="help">
        A GitHub login is linked only by the member connecting it themselves or by an admin's mapping here.
        Map it only when you know the account is theirs: their pull requests and mentions then act as them.
      </p>
      <ConsoleForm c={c} action={`/members/${m.id}/github`} class="row">
        <label>
          GitHub login
          <input
            type="text"
            name="login"
            value={props.github ?? github?.display ?? ""}
            required
            maxlength={100}
          />
        </label>
        <button class="button primary" type="submit">
          {github ? "Change GitHub login" : "Link GitHub login"}
        </button>
      </ConsoleForm>
      {github ? (
        <ConsoleForm c={c} action={`/members/${m.id}/github/unlink`} class="row">
          <button class="button danger" type="submit">
            Unlink {github.display}
          </button>
        </ConsoleForm>
      ) : null}

      <h2 id="status">Access</h2>
      <ConsoleForm c={c} action={`/members/${m.id}/status`} class="row">
        <input type="hidden" name="status" value={m.status === "active" ? "deactivated" : "active"} />
        {m.status === "active" ? (
          <>
            <span class="help">
              Deactivating ends their access at once, everywhere: Slack, GitHub, Linear and this console.
            </span>
            <button class="button danger" type="submit">
              Deactivate
            </button>
          </>
        ) : (
          <>
            <span class="help">Reactivating gives them back the access their groups and roles give.</span>
            <button class="button primary" type="submit">
              Reactivate
            </button>
          </>
        )}
      </ConsoleForm>
    </>
  );
}
