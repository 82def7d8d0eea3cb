import { HttpResponse, http } from "msw";
import { expect, it } from "vitest";
import { tasks } from "../../src/db/schema/tasks";
import { useWorld, type World } from "../helpers/world";
import { githubWorld } from "./acme";
import { pullRequestEvent } from "./events";
import { API, REPO } from "./github-fake";

// A review reads its pull request's changes when a runner starts it, not while the event is processed: the
// event is done at once whatever GitHub answers, a GitHub that fails for a while delays the review (retried),
// and one that says the pull request's files are gone ends the review with that answer.

let world: World;
const server = useWorld(githubWorld, (fresh) => ({ world } = fresh));

it("retries a review whose changes GitHub could not list, and runs it with them once GitHub answers", async () => {
  let refused = 0;
  server.use(
    http.get(`${API}/repos/${REPO}/pulls/:number/files`, () => {
      if (refused++ > 0) return undefined;
      return HttpResponse.json({ message: "Server Error" }, { status: 502 });
    }),
  );
  expect((await world.send.github("pull_request", pullRequestEvent())).status).toBe(200);
  await world.settle();
  expect(world.inbox()[0]).toMatchObject({ status: "done" });
  const [waiting] = world.rows(tasks);
  expect(waiting).toMatchObject({ status: "queued", attempts: 1 });
  expect(waiting!.error).toContain("could not be read from GitHub");
  expect(world.runs).toHaveLength(0);

  world.clock.advance(60_000);
  await world.settle();
  expect(world.runs).toHaveLength(1);
  expect(world.runs[0]!.context.diff).toContain("+++ b/src/app.js");
  expect(world.rows(tasks)[0]).toMatchObject({ status: "completed", attempts: 2 });
  expect(JSON.parse(world.rows(tasks)[0]!.context).diff).toContain("+++ b/src/app.js");
});

it("fails the review with GitHub's answer when the pull request's files are not found", async () => {
  server.use(
    http.get(`${API}/repos/${REPO}/pulls/:number/files`, () =>
      HttpResponse.json({ message: "Not Found" }, { status: 404 }),
    ),
  );
  expect((await world.send.github("pull_request", pullRequestEvent())).status).toBe(200);
  await world.settle();
  expect(world.runs).toHaveLength(0);
  const [task] = world.rows(tasks);
  expect(task).toMatchObject({ status: "failed", attempts: 1 });
  expect(task!.error).toMatch(/could not be read from GitHub: .*404/);
});
