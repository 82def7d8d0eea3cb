// When to try an outbound call again. A platform that says when (429 `Retry-After`, GitHub's
// `x-ratelimit-reset`) is taken at its word; otherwise exponential backoff with full jitter, so that many
// calls failing together do not all come back together.
// https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/

export const backoffBaseMs = 1000;
export const backoffCapMs = 15 * 60_000;

/** Full jitter: a uniformly random wait in [0, min(cap, base · 2^(attempt-1))]. `attempt` starts at 1. */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(backoffCapMs, backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
