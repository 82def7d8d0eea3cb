import { HttpResponse, http } from "msw";
import { expect, it } from "vitest";
import { useWorld, type World } from "../helpers/world";
import { githubWorld, storedReviews } from "./acme";
import { pullRequestEvent } from "./events";
import { API, REPO } from "./github-fake";

// A step that fails after deciding runs again later: the decision is in the audit log once, and the review
// the second attempt starts names that same decision.

let world: World;
const server = useWorld(githubWorld, (fresh) => ({ world } = fresh));

it("records the access decision once when a failed step runs again", async () => {
  let refused = 0;
  server.use(
    http.get(`${API}/repos/${REPO}/pulls/:number/files`, () => {
      if (refused++ > 0) return undefined;
      return HttpResponse.json({ message: "Server Error" }, { status: 502 });
    }),
  );
  const res = await world.send.github("pull_request", pullRequestEvent());
  expect(res.status).toBe(200);
  await world.process();
  const [row] = world.inbox();
  expect(row).toMatchObject({ status: "pending", attempts: 1 });
  expect(await storedReviews(world)).toEqual([]);
  const [first] = world.audit("decision.review.request");
  expect(first).toMatchObject({ code: "ALLOWED" });

  world.clock.advance(60_000);
  await world.process();
  expect(world.inbox()[0]).toMatchObject({ status: "done", attempts: 2 });
  expect(await storedReviews(world)).toHaveLength(1);
  const decisions = world.audit("decision.review.request");
  expect(decisions.map((d) => d.id)).toEqual([first.id]);
  expect(world.inbox()[0]!.outcome).toContain(`[${first.id}]`);
});
