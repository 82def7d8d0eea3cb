import autocannon from "autocannon";

/**
 * The load generator, run as its own process so it does not share an event loop with the server under
 * test. Every request carries a unique X-GitHub-Delivery, so the hub must store each one.
 */
const [url, durationSeconds, connections, label] = process.argv.slice(2);
const body = process.env.BENCH_BODY ?? "";
const signature = process.env.BENCH_SIGNATURE ?? "";
let n = 0;

const result = await autocannon({
  url: url!,
  method: "POST",
  duration: Number(durationSeconds),
  connections: Number(connections),
  headers: {
    "content-type": "application/json",
    "x-github-event": "pull_request",
    "x-hub-signature-256": signature,
  },
  body,
  requests: [
    {
      setupRequest: (req) => ({
        ...req,
        headers: { ...req.headers, "x-github-delivery": `${label}-${process.pid}-${n++}` },
      }),
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
