import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";
import { syncReviewFeedback } from "../surfaces/github/feedback";
import { startWorkLoop } from "./work-loop";

/**
 * Node's review-feedback loop: GitHub sends no webhook for reactions, so reactions on the comments of recent
 * reviews are fetched every few minutes (each review at most every 15 minutes; see syncReviewFeedback).
 * In sandbox mode there is no GitHub to ask. The reaction figures of the analytics come from here, so they lag
 * by up to about 20 minutes (one pass interval plus a review's sync interval).
 */
export function startReviewFeedbackLoop(hub: Hub, logger: Logger, everyMs = 5 * 60_000) {
  if (hub.deps.config.sandbox) return { stop: async () => {} };
  const loop = startWorkLoop({
    name: "review-feedback",
    idlePollMs: everyMs,
    logger,
    tick: async () => {
      await syncReviewFeedback(hub.deps);
      return everyMs;
    },
  });
  return { stop: loop.stop };
}
