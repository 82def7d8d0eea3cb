import { createHmac } from "node:crypto";
import autocannon from "autocannon";

/**
 * The load generator, run as its own process so it does not share an event loop with the server under
 * test. Every request is a new delivery: a unique X-GitHub-Delivery and a unique body (the hub dedupes on a
 * digest of the body too), signed here, so the hub must store each one.
 */
const [url, durationSeconds, connections, label] = process.argv.slice(2);
/** The body with a `__NONCE__` placeholder, replaced per request. */
const template = process.env.BENCH_BODY ?? "";
const secret = process.env.BENCH_SECRET ?? "";
let n = 0;

const result = await autocannon({
  url: url!,
  method: "POST",
  duration: Number(durationSeconds),
  connections: Number(connections),
  headers: {
    "content-type": "application/json",
    "x-github-event": "pull_request",
  },
  requests: [
    {
      setupRequest: (req) => {
        const id = `${label}-${process.pid}-${n++}`;
        const body = template.replace("__NONCE__", id);
        const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
        return {
          ...req,
          body,
          headers: { ...req.headers, "x-github-delivery": id, "x-hub-signature-256": signature },
        };
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  })}\n`,
);
