import { createHmac } from "node:crypto";
import autocannon from "autocannon";

/**
 * The load generator, run as its own process so it does not share an event loop with the server under
 * test. Every request is a new delivery, signed here, so the receiver must store each one:
 * - `github`: a unique X-GitHub-Delivery and a unique body (the hub dedupes on a digest of the body too);
 * - `slack`: a unique `event_id` in the body, signed with Slack's v0 scheme at the current time.
 */
const [url, durationSeconds, connections, label, kind = "github"] = process.argv.slice(2);
/** The body with a `__NONCE__` placeholder, replaced per request. */
const template = process.env.BENCH_BODY ?? "";
const secret = process.env.BENCH_SECRET ?? "";
let n = 0;

function signed(id: string) {
  const body = template.replace("__NONCE__", id);
  if (kind === "slack") {
    const at = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac("sha256", secret).update(`v0:${at}:${body}`).digest("hex")}`;
    return { body, headers: { "x-slack-request-timestamp": String(at), "x-slack-signature": signature } };
  }
  const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
  return {
    body,
    headers: { "x-github-event": "pull_request", "x-github-delivery": id, "x-hub-signature-256": signature },
  };
}

const result = await autocannon({
  url: url!,
  method: "POST",
  duration: Number(durationSeconds),
  connections: Number(connections),
  headers: { "content-type": "application/json" },
  requests: [
    {
      setupRequest: (req) => {
        const { body, headers } = signed(`${label}-${process.pid}-${n++}`);
        return { ...req, body, headers: { ...req.headers, ...headers } };
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
