import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

/**
 * The floor for the ingress benchmark: a bare node:http server that only reads the body and checks the
 * GitHub HMAC. Whatever the hub does beyond this (routing, parsing, validation, the durable inbox write)
 * is what the ratio hub/floor measures.
 */
const secret = process.env.BENCH_SECRET ?? "bench-secret";
const parse = process.env.BENCH_PARSE === "1";
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
    const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
    const ok = given.length === expected.length && timingSafeEqual(given, expected);
    // The reference row "floor+parse" also parses the JSON, as any receiver that validates bodies must.
    if (ok && parse) JSON.parse(body.toString("utf8"));
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    res.end(ok ? '{"ok":true}' : '{"ok":false}');
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 })}\n`,
  );
});
