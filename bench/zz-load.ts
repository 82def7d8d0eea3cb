import { sign } from "@octokit/webhooks-methods";
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import { execFileSync } from "node:child_process";
const defs = examples as any[];
const body = JSON.stringify(defs.find((d) => d.name === "pull_request").examples.filter((e: any) => e.action === "opened")[1]);
const sig = await sign("bench-secret", body);
const out = execFileSync(process.execPath, ["--import", "tsx", "bench/load.ts", "http://127.0.0.1:8811/webhooks/github", "5", "50", "p"], { env: { PATH: process.env.PATH, BENCH_BODY: body, BENCH_SIGNATURE: sig } as any });
console.log(out.toString());
