import { eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { OutboundError } from "../../src/clients/types";
import { githubRepositories } from "../../src/db/schema/github";
import type { InboxRow } from "../../src/db/schema/inbox";
import { inbox } from "../../src/db/schema/inbox";
import type { Deps } from "../../src/deps";
import type { Delivery } from "../../src/inbox/types";
import type { InboundEvent } from "../../src/ingress/events";
import { answering, createGitHubWebhooks } from "../../src/surfaces/github/webhooks";
import { githubExample } from "../helpers/github-examples";
import { useWorld, type World } from "../helpers/world";
import { githubWorld, storedReviews } from "./acme";
import { pullRequestEvent } from "./events";
import { API, type GitHubFake } from "./github-fake";

// How a stored GitHub delivery reaches its listener: through @octokit/webhooks' `receive`, by event and
// action, with GitHub's typed payload; the listener's result (or its own error) comes back to the inbox, and
// every hub has its own listeners.

const deps = {} as Deps;

function delivery(name: string, payload: Record<string, any>, id = "d-1"): Delivery {
  const row = { id: `inb_${id}`, deliveryKey: id, eventType: `${name}.${payload.action}` } as InboxRow;
  return { row, payload, event: {} as InboundEvent };
}

describe("GitHub deliveries on @octokit/webhooks' dispatch", () => {
  it("hands a delivery to the listener of its event and action, with GitHub's id, name and payload", async () => {
    const seen: string[] = [];
    const github = createGitHubWebhooks((webhooks) => {
      webhooks.on(
        "pull_request.opened",
        answering(async (_deps, { id, name, payload }) => {
          seen.push(`${id} ${name}.${payload.action} #${payload.pull_request.number}`);
          return { outcome: "opened" };
        }),
      );
      webhooks.on(
        "pull_request.closed",
        answering(async () => ({ outcome: "closed" })),
      );
    });
    const opened = githubExample("pull_request", "opened");
    expect(await github.dispatch(deps, delivery("pull_request", opened, "d-7"))).toEqual({
      outcome: "opened",
    });
    expect(seen).toEqual([`d-7 pull_request.opened #${opened.pull_request.number}`]);
    // Nothing listens to `reopened` here: the adapter answers for it.
    const reopened = { ...opened, action: "reopened" };
    expect(await github.dispatch(deps, delivery("pull_request", reopened))).toBeUndefined();
  });

  it("throws what a listener threw, as it threw it, so the inbox knows whether to try again", async () => {
    const outage = new OutboundError("github: HTTP 502: Bad Gateway", true);
    const github = createGitHubWebhooks((webhooks) => {
      webhooks.on(
        "installation.created",
        answering(async () => {
          throw outage;
        }),
      );
    });
    const created = githubExample("installation", "created");
    await expect(github.dispatch(deps, delivery("installation", created))).rejects.toBe(outage);
  });

  it("keeps the results of deliveries processed at the same time apart", async () => {
    const gates = new Map<number, () => void>();
    const github = createGitHubWebhooks((webhooks) => {
      webhooks.on(
        "pull_request.opened",
        answering(async (_deps, { payload }) => {
          await new Promise<void>((resolve) => gates.set(payload.number, resolve));
          return { outcome: `pull request ${payload.number}` };
        }),
      );
    });
    const pr = (n: number) => ({ ...githubExample("pull_request", "opened"), number: n });
    const first = github.dispatch(deps, delivery("pull_request", pr(1), "d-1"));
    const second = github.dispatch(deps, delivery("pull_request", pr(2), "d-2"));
    await new Promise((resolve) => setTimeout(resolve, 0));
    gates.get(2)!();
    gates.get(1)!();
    expect(await Promise.all([first, second])).toEqual([
      { outcome: "pull request 1" },
      { outcome: "pull request 2" },
    ]);
  });

  it("gives every hub its own listeners", async () => {
    const mine = createGitHubWebhooks((webhooks) => {
      webhooks.on(
        "pull_request.opened",
        answering(async () => ({ outcome: "mine" })),
      );
    });
    const theirs = createGitHubWebhooks(() => {});
    const opened = githubExample("pull_request", "opened");
    expect(await mine.dispatch(deps, delivery("pull_request", opened))).toEqual({ outcome: "mine" });
    expect(await theirs.dispatch(deps, delivery("pull_request", opened))).toBeUndefined();
  });
});

describe("GitHub deliveries through the hub", () => {
  let fake: GitHubFake;
  let world: World;
  const server = useWorld(githubWorld, (fresh) => ({ fake, world } = fresh));
  const rows = () => world.database.db.select().from(inbox).where(eq(inbox.platform, "github"));

  it("a GitHub outage while asking about the author leaves the delivery to be tried again, which then reviews", async () => {
    server.use(
      http.get(
        `${API}/repos/:owner/:repo/collaborators/:login/permission`,
        () => HttpResponse.json({ message: "Server Error" }, { status: 502 }),
        { once: true },
      ),
    );
    expect((await world.send.github("pull_request", pullRequestEvent())).status).toBe(200);
    await world.process();
    const [failed] = await rows();
    expect(failed).toMatchObject({ status: "pending", attempts: 1, outcome: null });
    expect(failed!.lastError).toContain("502");
    expect(await storedReviews(world)).toEqual([]);

    world.clock.set(failed!.availableAt);
    await world.process();
    const [done] = await rows();
    expect(done).toMatchObject({ status: "done", lastError: null });
    expect(done!.outcome).toMatch(/^review started for Codertocat\/Hello-World#2@ec26c3e \(opened\)/);
    expect(await storedReviews(world)).toHaveLength(1);
  });

  it("an action that never starts a review keeps the repository it names, and starts nothing", async () => {
    await world.send.github("pull_request", pullRequestEvent({ action: "closed" }));
    await world.process();
    expect(await world.outcomes()).toEqual(["ignored: pull_request.closed never starts a review"]);
    const repositories = await world.rows(githubRepositories);
    expect(repositories.map((r) => [r.fullName, r.installationId, r.status])).toEqual([
      ["Codertocat/Hello-World", 1, "active"],
    ]);
    expect(await storedReviews(world)).toEqual([]);
    expect(fake.writes()).toEqual([]);
  });
});
