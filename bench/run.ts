import { benchIngress } from "./ingress";

/** `npm run bench`: every benchmark, each printing ratios against a baseline measured in the same run. */
await benchIngress();
console.log("");
// The access benchmark runs when imported (it is also runnable alone: `npx tsx bench/access-decide.ts`).
await import("./access-decide");
