import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { RunnerPost } from "../../tasks/executors/http";

/**
 * How much of a runner's answer is kept: the executor quotes the first 500 characters of a refusal. The rest
 * is read and dropped, so the connection can carry the next task.
 */
const keptBytes = 16 * 1024;

// Connections to the runner are kept open between tasks, as fetch keeps them.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * The http executor's POST on Node, through node:http(s). fetch (undici) spends three to five times the CPU
 * on a request: 275–526 µs against 91–112 µs for a POST and its 202, client and server on one thread, and
 * the background thread makes one for every task it starts.
 */
export const nodeRunnerPost: RunnerPost = (url, { headers, body, signal }) =>
  new Promise((resolve, reject) => {
    // HUB_EXECUTOR_URL is an http(s) URL (config.ts checks it at start).
    const target = new URL(url);
    const https = target.protocol === "https:";
    const request = (https ? httpsRequest : httpRequest)(
      target,
      {
        method: "POST",
        agent: https ? agents.https : agents.http,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        signal,
      },
      (response) => answer(response).then(resolve, reject),
    );
    request.on("error", reject);
    request.end(body);
  });

function answer(response: IncomingMessage): Promise<{ status: number; text(): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    response.on("data", (chunk: Buffer) => {
      if (kept >= keptBytes) return;
      chunks.push(chunk);
      kept += chunk.byteLength;
    });
    // Closed before its end (the runner went away, the request was stopped): no answer to go by. Node says
    // "aborted"; the executor's message names the runner.
    const cutOff = (cause?: unknown) => new Error("The task runner's answer was cut off.", { cause });
    response.on("error", (error) => reject(response.complete ? error : cutOff(error)));
    response.on("close", () => {
      if (!response.complete) reject(cutOff());
    });
    response.on("end", () => {
      const text = Buffer.concat(chunks).subarray(0, keptBytes).toString("utf8");
      resolve({ status: response.statusCode ?? 0, text: async () => text });
    });
  });
}
