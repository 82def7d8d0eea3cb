import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { silentLogger as logger } from "../../src/lib/logger";
import { loopPrecedence } from "../../src/runtime/loop-precedence";
import { startWorkLoop } from "../../src/runtime/work-loop";

// The background thread's loops share one event loop: the start of tasks (the inbox processor, the task
// runner) leads and the outbox follows, waiting before each round while a leader has work, but never longer
// than its limit.

/** A loop whose rounds end when the test says so (each round's answer is how long to sleep). */
function controlledLoop(
  name: string,
  options: { working?: (on: boolean) => void; beforeRound?: () => Promise<void> },
) {
  const rounds: ((wait: number) => void)[] = [];
  const loop = startWorkLoop({
    name,
    idlePollMs: 60_000,
    logger,
    ...options,
    tick: () => new Promise<number>((resolve) => rounds.push(resolve)),
  });
  return {
    loop,
    rounds,
    /** Ends the round under way with `wait`. */
    end: (wait: number) => rounds.at(-1)!(wait),
  };
}

describe("loop precedence", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("holds a following loop's round while a leading loop has work, and lets it go once there is none", async () => {
    const precedence = loopPrecedence();
    const leader = controlledLoop("inbox", { working: precedence.lead() });
    await vi.advanceTimersByTimeAsync(0);
    expect(leader.rounds).toHaveLength(1);

    const follower = controlledLoop("outbox", { beforeRound: () => precedence.whenClear(50) });
    await vi.advanceTimersByTimeAsync(30);
    expect(follower.rounds).toHaveLength(0);

    // The leader's round ends with nothing more to do: the follower's round starts at once.
    leader.end(Number.POSITIVE_INFINITY);
    await vi.advanceTimersByTimeAsync(0);
    expect(follower.rounds).toHaveLength(1);
    const stops = [leader.loop.stop(), follower.loop.stop()];
    follower.end(Number.POSITIVE_INFINITY);
    await Promise.all(stops);
  });

  it("counts a leader as busy from the moment it is woken, and while its rounds ask for more at once", async () => {
    const precedence = loopPrecedence();
    const leader = controlledLoop("tasks", { working: precedence.lead() });
    await vi.advanceTimersByTimeAsync(0);
    leader.end(Number.POSITIVE_INFINITY);
    await vi.advanceTimersByTimeAsync(0);
    await expect(precedence.whenClear(1_000)).resolves.toBeUndefined();

    leader.loop.wake();
    let cleared = false;
    void precedence.whenClear(1_000).then(() => (cleared = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(leader.rounds).toHaveLength(2);
    // A round that started tasks asks for another at once: still busy.
    leader.end(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(leader.rounds).toHaveLength(3);
    expect(cleared).toBe(false);
    leader.end(Number.POSITIVE_INFINITY);
    await vi.advanceTimersByTimeAsync(0);
    expect(cleared).toBe(true);
    await leader.loop.stop();
  });

  it("waits for every leader, and at most the follower's limit for a leader that never rests", async () => {
    const precedence = loopPrecedence();
    const inbox = controlledLoop("inbox", { working: precedence.lead() });
    const tasks = controlledLoop("tasks", { working: precedence.lead() });
    await vi.advanceTimersByTimeAsync(0);
    inbox.end(Number.POSITIVE_INFINITY);
    await vi.advanceTimersByTimeAsync(0);

    const follower = controlledLoop("outbox", { beforeRound: () => precedence.whenClear(50) });
    await vi.advanceTimersByTimeAsync(49);
    expect(follower.rounds).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(follower.rounds).toHaveLength(1);
    const stops = [inbox.loop.stop(), tasks.loop.stop(), follower.loop.stop()];
    tasks.end(Number.POSITIVE_INFINITY);
    follower.end(Number.POSITIVE_INFINITY);
    await Promise.all(stops);
  });

  it("lets a follower go when a leader stops or its round fails", async () => {
    const precedence = loopPrecedence();
    const failing = startWorkLoop({
      name: "inbox",
      idlePollMs: 60_000,
      logger,
      working: precedence.lead(),
      tick: () => Promise.reject(new Error("the database is locked")),
    });
    const stopped = controlledLoop("tasks", { working: precedence.lead() });
    await vi.advanceTimersByTimeAsync(0);
    let cleared = false;
    void precedence.whenClear(60_000).then(() => (cleared = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(cleared).toBe(false);
    const stopping = stopped.loop.stop();
    stopped.end(0);
    await stopping;
    await vi.advanceTimersByTimeAsync(0);
    expect(cleared).toBe(true);
    await failing.stop();
  });
});
