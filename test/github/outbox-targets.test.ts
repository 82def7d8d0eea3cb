import { describe, expect, it } from "vitest";
import { commentOnPullRequest } from "../../src/clients/github/calls";
import { outbox } from "../../src/db/schema/outbox";
import { outboundQuery } from "../../src/outbox/enqueue";
import { deliverDue } from "../../src/outbox/worker";
import { useWorld, type World } from "../helpers/world";
import { githubWorld } from "./acme";
import { type GitHubFake, REPO } from "./github-fake";

// Which installation token makes a queued GitHub call: the one its target names, narrowed to the target's
// repository and permissions. Rows the outbox stored before calls had targets name the installation, the
// repository and (optionally) the permissions among their args; they are still sent with that installation's
// token, and those args never reach GitHub.

let fake: GitHubFake;
let world: World;
useWorld(githubWorld, (fresh) => ({ fake, world } = fresh));

const COMMENT = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";
const REVIEW = "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews";

/** A row as the outbox stored GitHub calls before targets: who makes the call among the args. */
async function storeLegacyRow(key: string, operation: string, args: Record<string, unknown>) {
  const now = world.clock.now();
  await world.database.db.insert(outbox).values({
    id: `out_${key}`,
    dedupeKey: key,
    platform: "github",
    operation,
    args: JSON.stringify(args),
    target: null,
    status: "pending",
    availableAt: now,
    createdAt: now,
  });
}

describe("queued GitHub calls", () => {
  it("go out with the token of the installation they name, by target or by a row's old args", async () => {
    await outboundQuery(world.deps, {
      request: commentOnPullRequest(
        { installationId: 1, repository: REPO },
        { issue_number: 2, body: "by target" },
      ),
      dedupeKey: "test:target",
    });
    await storeLegacyRow("test:legacy-permissions", COMMENT, {
      installationId: 2,
      repository: "octo-org/other",
      permissions: { pull_requests: "write" },
      issue_number: 3,
      body: "stored before, with its permissions",
    });
    // No permissions stored: the route's own (a review on a pull request: `pull_requests: write`).
    await storeLegacyRow("test:legacy-route", REVIEW, {
      installationId: 1,
      repository: REPO,
      pull_number: 2,
      event: "COMMENT",
      body: "stored before, without permissions",
    });
    const rows = await world.database.db.select().from(outbox);
    expect(Object.fromEntries(rows.map((r) => [r.dedupeKey, r.target]))).toEqual({
      "test:target": JSON.stringify({
        installationId: 1,
        repository: REPO,
        permissions: { pull_requests: "write" },
      }),
      "test:legacy-permissions": null,
      "test:legacy-route": null,
    });

    expect(await deliverDue(world.deps)).toMatchObject({ claimed: 3, sent: 3 });

    // One token per installation, repository and permissions, minted from the installation named.
    const tokens = fake.tokens.map((t, i) => ({
      auth: `token ghs_${i + 1}`,
      installationId: t.installationId,
      repositories: t.body.repositories,
      permissions: t.body.permissions,
    }));
    expect(
      tokens.map(({ auth: _, ...t }) => t).sort((a, b) => a.installationId.localeCompare(b.installationId)),
    ).toEqual([
      { installationId: "1", repositories: ["Hello-World"], permissions: { pull_requests: "write" } },
      { installationId: "2", repositories: ["other"], permissions: { pull_requests: "write" } },
    ]);
    const installationOf = (auth: string | null) => tokens.find((t) => t.auth === auth)?.installationId;
    const sent = fake
      .writes()
      .map((c) => ({ path: c.path, installation: installationOf(c.auth), body: c.body }));
    expect(sent.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      {
        path: `/repos/${REPO}/issues/2/comments`,
        installation: "1",
        body: { body: "by target" },
      },
      {
        path: `/repos/${REPO}/pulls/2/reviews`,
        installation: "1",
        body: { event: "COMMENT", body: "stored before, without permissions" },
      },
      {
        path: "/repos/octo-org/other/issues/3/comments",
        installation: "2",
        body: { body: "stored before, with its permissions" },
      },
    ]);
  });
});
