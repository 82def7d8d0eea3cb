/**
 * How many webhook requests the HTTP thread is handling at this moment, kept in memory the hub's threads
 * share. Acknowledging is the one step with a hard deadline (Slack gives 3 seconds, GitHub 10), and on a
 * small machine the inbox processor competes with it for the same cores; so during a burst the processor
 * yields, and the inbox, which is durable, holds the work until the burst is over.
 */
export interface IngressPressure {
  buffer: SharedArrayBuffer;
  enter(): void;
  leave(): void;
  inFlight(): number;
}

export function ingressPressure(
  buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT),
): IngressPressure {
  const cell = new Int32Array(buffer);
  return {
    buffer,
    enter: () => void Atomics.add(cell, 0, 1),
    leave: () => void Atomics.sub(cell, 0, 1),
    inFlight: () => Atomics.load(cell, 0),
  };
}

/**
 * Webhooks in flight at once that make a burst. A steady stream has about one in flight (200 a second
 * acknowledged in about 5 ms each): processing must keep pace with it, or every delivery waits behind the
 * backlog, while a burst (dozens of senders at once) is what puts the acknowledgements' deadline at risk.
 */
export const INGRESS_BURST = 8;

/**
 * How long a burst must have eased before processing goes on. A group commit answers many webhooks at once,
 * so during a burst the count dips for a moment each time one lands; those dips are not a lull.
 */
const settleMs = 20;

/**
 * Resolves at once when fewer than `burst` webhooks are being handled; during a burst, once there have been
 * fewer for `settleMs`, or after `maxWaitMs` at the latest, so that processing still moves (a round per
 * `maxWaitMs`) under a sustained flood.
 */
export async function whenIngressQuiet(
  pressure: IngressPressure,
  maxWaitMs: number,
  burst = INGRESS_BURST,
): Promise<void> {
  if (pressure.inFlight() < burst) return;
  const deadline = performance.now() + maxWaitMs;
  let quietSince: number | null = null;
  for (let now = performance.now(); now < deadline; now = performance.now()) {
    if (pressure.inFlight() >= burst) quietSince = null;
    else if (quietSince === null) quietSince = now;
    else if (now - quietSince >= settleMs) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
