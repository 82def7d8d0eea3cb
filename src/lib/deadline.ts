/**
 * Runs `call` with a signal that aborts after `ms`, and clears the timer as soon as the call settles.
 * `AbortSignal.timeout(ms)` keeps its timer, and through the request's abort listener the request itself
 * (headers with a token, body, stream), until the time is up: at hundreds of calls a second with a 30 s
 * deadline, that holds hundreds of megabytes of finished requests.
 */
export async function withDeadline<T>(ms: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`No answer within ${ms} ms`, "TimeoutError")),
    ms,
  );
  try {
    return await call(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}
