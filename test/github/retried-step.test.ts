import { expect, it } from "vitest";
import { useWorld, type World } from "../helpers/world";
import { githubWorld, storedReviews } from "./acme";
import { pullRequestEvent } from "./events";

// A step that fails after deciding runs again later. The decision lands with the step's own writes, so the
// failed attempt leaves none behind: the audit log holds the one decision the review was started under.

let world: World;
useWorld(githubWorld, (fresh) => ({ world } = fresh));

it("records the access decision once when a failed step runs again", async () => {
  // The review task cannot be written the first time (after the decision was made), as when the disk hiccups.
  world.database.sqlite.exec(
    "CREATE TEMP TRIGGER refuse_tasks BEFORE INSERT ON tasks BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
  );
  const res = await world.send.github("pull_request", pullRequestEvent());
  expect(res.status).toBe(200);
  await world.process();
  const [row] = world.inbox();
  expect(row).toMatchObject({ status: "pending", attempts: 1 });
  expect(await storedReviews(world)).toEqual([]);
  expect(world.audit("decision.review.request")).toEqual([]);

  world.database.sqlite.exec("DROP TRIGGER refuse_tasks");
  world.clock.advance(60_000);
  await world.process();
  expect(world.inbox()[0]).toMatchObject({ status: "done", attempts: 2 });
  expect(await storedReviews(world)).toHaveLength(1);
  const decisions = world.audit("decision.review.request");
  expect(decisions).toHaveLength(1);
  expect(decisions[0]).toMatchObject({ code: "ALLOWED" });
  expect(world.inbox()[0]!.outcome).toContain(`[${decisions[0]!.id}]`);
});
