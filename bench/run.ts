import { benchIngress } from "./ingress";

/**
 * `npm run bench`: every benchmark, each printing ratios against a baseline measured in the same run.
 * `npm run bench -- analytics` (or `ingress`, `outbox`, `access`, several at once) runs only those named.
 */
const named = new Set(process.argv.slice(2));
const wanted = (name: string) => named.size === 0 || named.has(name);
const known = ["ingress", "processing", "latency", "outbox", "access", "analytics"];
for (const name of named)
  if (!known.includes(name)) throw new Error(`No benchmark ${name}: ${known.join(", ")}.`);

if (wanted("ingress")) {
  await benchIngress();
  console.log("");
}
if (wanted("processing")) {
  await (await import("./processing")).benchProcessing();
  console.log("");
}
if (wanted("latency")) {
  await (await import("./latency")).benchLatency();
  console.log("");
}
if (wanted("outbox")) {
  await (await import("./outbox")).benchOutbox();
  console.log("");
}
// The access benchmark runs when imported (it is also runnable alone: `npx tsx bench/access-decide.ts`).
if (wanted("access")) {
  await import("./access-decide");
  console.log("");
}
if (wanted("analytics")) await (await import("./analytics")).benchAnalytics();
