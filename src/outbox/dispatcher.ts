import type { OutboxRow } from "../db/schema/outbox";
import type { Deps } from "../deps";
import { addToLane } from "./lanes";
import { claimOutbox, maxOutboxAttempts, releaseOutbox } from "./store";
import {
  defaultOutboxClaimLimit,
  defaultOutboxLeaseMs,
  deliverClaimed,
  lanesPerPlatform,
  type RateLimits,
  type SendSettings,
} from "./worker";

export interface OutboxDispatcher {
  /**
   * Claims the calls that are due, as many as there is room for, and sets them going. Does not wait for them.
   * `claimed`: how many it took; `full`: no room was left, so calls that are due may still be waiting.
   */
  round(): Promise<{ claimed: number; full: boolean }>;
  /** Resolves once every call under way has been settled. */
  idle(): Promise<void>;
  /**
   * Starts no more calls: those claimed but not started go back to the queue (for the next start of the hub),
   * and it resolves once the calls under way have been settled.
   */
  stop(): Promise<void>;
}

/**
 * The outbox delivered continuously (the Node loop): each round claims what became due and puts every call in
 * its lane (src/outbox/lanes.ts); a lane's calls go one after another, oldest first, up to `lanesPerPlatform`
 * lanes per platform at once. Unlike `deliverDue`, a round does not wait for the calls it started: a slow or
 * hanging call (up to half the lease) holds up its own conversation only, and a call queued meanwhile for
 * another one leaves at the next round. A call queued for a conversation that is busy joins the end of its
 * lane, so the order holds.
 *
 * Claimed calls wait in memory under their lease. One that waited so long that less than half of the lease is
 * left would be claimed again by a later round while still waiting here: such a call and the rest of its lane
 * are given back to the queue instead (their attempt undone) and claimed again, in order, by the next round.
 */
export function outboxDispatcher(
  deps: Deps,
  options: {
    /** Told when calls were held back for want of room and room came free: claim again. */
    onRoom: () => void;
    leaseMs?: number;
    limit?: number;
    lanes?: number;
    random?: () => number;
    /** Awaited before each call is sent: work that goes first (src/runtime/loop-precedence.ts). */
    beforeCall?: () => Promise<void>;
  },
): OutboxDispatcher {
  const leaseMs = options.leaseMs ?? defaultOutboxLeaseMs;
  const limit = options.limit ?? defaultOutboxClaimLimit;
  const width = options.lanes ?? lanesPerPlatform;
  const send: SendSettings = {
    leaseMs,
    maxAttempts: maxOutboxAttempts,
    random: options.random ?? Math.random,
  };
  /** Claimed calls not yet started, by lane, oldest first. */
  const waiting = new Map<string, OutboxRow[]>();
  const running = new Set<string>();
  const runningPerPlatform = new Map<string, number>();
  const underway = new Set<Promise<void>>();
  const rateLimits: RateLimits = new Map();
  let held = 0;
  let starved = false;
  let stopping = false;

  const settle = () => {
    held--;
    // Once half the room is free: a claim per settled call would cost a commit each under a backlog.
    if (starved && held <= limit / 2) {
      starved = false;
      options.onRoom();
    }
  };

  /** Gives back `row` (if any) and every call still waiting in its lane: the next round claims them again, in order. */
  async function giveBack(lane: string, row?: OutboxRow): Promise<void> {
    const calls = [...(row ? [row] : []), ...(waiting.get(lane) ?? [])];
    waiting.delete(lane);
    for (const call of calls) {
      await releaseOutbox(deps.database, call, deps.clock.now());
      settle();
    }
  }

  async function runLane(lane: string): Promise<void> {
    for (let row = waiting.get(lane)?.shift(); row; row = waiting.get(lane)?.shift()) {
      if (waiting.get(lane)?.length === 0) waiting.delete(lane);
      await options.beforeCall?.();
      if (stopping || (row.leaseUntil ?? 0) - deps.clock.now() < leaseMs / 2) return giveBack(lane, row);
      try {
        await deliverClaimed(deps, row, rateLimits, send);
      } catch (error) {
        // The outcome could not be recorded (the database refused the write): the lease runs out and a later
        // round sends the call again. The lane goes on with its next call.
        deps.logger.error({ outboxId: row.id, error: (error as Error).message }, "outbox call not settled");
      } finally {
        settle();
      }
    }
  }

  async function idle(): Promise<void> {
    while (underway.size > 0) await Promise.allSettled([...underway]);
  }

  function startLanes(): void {
    if (stopping) return;
    for (const [lane, rows] of waiting) {
      const platform = rows[0]?.platform;
      if (!platform || running.has(lane) || (runningPerPlatform.get(platform) ?? 0) >= width) continue;
      running.add(lane);
      runningPerPlatform.set(platform, (runningPerPlatform.get(platform) ?? 0) + 1);
      const run = runLane(lane).finally(() => {
        running.delete(lane);
        runningPerPlatform.set(platform, runningPerPlatform.get(platform)! - 1);
        underway.delete(run);
        startLanes();
      });
      underway.add(run);
    }
  }

  return {
    async round() {
      const room = limit - held;
      if (stopping) return { claimed: 0, full: false };
      if (room <= 0) {
        starved = true;
        return { claimed: 0, full: true };
      }
      const rows = await claimOutbox(deps.database, deps.clock.now(), leaseMs, room);
      held += rows.length;
      for (const row of rows) addToLane(waiting, row);
      startLanes();
      const full = rows.length >= room;
      if (full) starved = true;
      return { claimed: rows.length, full };
    },
    idle,
    async stop() {
      stopping = true;
      await idle();
      // Lanes that never started (no room on their platform) hold calls too.
      for (const lane of [...waiting.keys()]) await giveBack(lane);
    },
  };
}
