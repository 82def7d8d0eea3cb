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
 * Resolves once no webhook is being handled, or after `maxWaitMs` at the latest, so that processing still
 * moves (a round per `maxWaitMs`) under a sustained flood.
 */
export async function whenIngressQuiet(pressure: IngressPressure, maxWaitMs: number): Promise<void> {
  const deadline = performance.now() + maxWaitMs;
  while (pressure.inFlight() > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
