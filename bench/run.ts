import { benchIngress } from "./ingress";

/** `npm run bench`: every benchmark, each printing ratios against a baseline measured in the same run. */
await benchIngress();
console.log("");
await benchAccess();
