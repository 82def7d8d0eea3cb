import { generateKeyPairSync } from "node:crypto";
import { createServer } from "node:http";
import { createNodeMiddleware, Probot } from "probot";

/**
 * The Probot baseline for the ingress benchmark: a Probot 14 app as a user writes it, a no-op
 * `pull_request.opened` handler behind `createNodeMiddleware` on a node:http server. It verifies, parses and
 * emits each delivery and stores nothing. The private key is a throwaway: the handler never calls GitHub.
 */
const secret = process.env.BENCH_SECRET ?? "bench-secret";
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const probot = new Probot({ appId: 1, privateKey, secret });
const middleware = await createNodeMiddleware(
  (app) => {
    app.on("pull_request.opened", async () => {});
  },
  { probot, webhooksPath: "/" },
);
const server = createServer((req, res) => {
  void middleware(req, res, () => {
    res.writeHead(404);
    res.end();
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`,
  );
});
