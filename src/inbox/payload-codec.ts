import { brotliCompressSync, brotliDecompressSync, constants } from "node:zlib";

/**
 * How the inbox keeps raw payloads. Webhook bodies are verbose JSON (a GitHub pull_request event is ~23 KB,
 * mostly repeated URLs) and every one is written with an fsync before it is acknowledged, so the bytes per
 * commit bound how many deliveries a second the disk takes. Brotli at quality 1 shrinks them about tenfold
 * for ~40 µs of CPU, which SQLite more than wins back by writing one page per row instead of six.
 * node:zlib's Brotli is available on Node and on Workers (nodejs_compat).
 */
export type PayloadEncoding = "utf-8" | "br";

const compressOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } };

/**
 * Smaller bodies are kept as they came: they fit in one page either way, and setting up Brotli to compress and
 * again to decompress costs more than it saves (a Slack event is about 1 KB).
 */
const compressFrom = 2048;

export function encodePayload(body: Uint8Array): { payload: Buffer; payloadEncoding: PayloadEncoding } {
  if (body.byteLength < compressFrom) return { payload: Buffer.from(body), payloadEncoding: "utf-8" };
  return { payload: brotliCompressSync(body, compressOptions), payloadEncoding: "br" };
}

/**
 * Output in pieces about as large as the body (Brotli shrinks JSON about tenfold), between zlib's 16 KB and
 * 64 KB: most bodies then come out in one piece, with no joining of pieces afterwards (a fifth less time for a
 * 23 KB GitHub body).
 */
const decompressOptions = (compressed: Uint8Array) => ({
  chunkSize: Math.min(64 * 1024, Math.max(16 * 1024, compressed.byteLength * 16)),
});

// Strict and byte for byte: a GitHub body is first decoded here (ingress only verified its bytes), so bytes
// that are not UTF-8 must fail rather than turn into replacement characters, and a byte-order mark stays.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Rows stored before compression came in have no encoding and hold the UTF-8 bytes as received.
 * Throws when the bytes are not UTF-8 (the processor makes such a row dead with the reason).
 */
export function decodePayload(payload: Uint8Array, encoding: PayloadEncoding | null): string {
  const bytes = encoding === "br" ? brotliDecompressSync(payload, decompressOptions(payload)) : payload;
  try {
    return decoder.decode(bytes);
  } catch {
    throw new Error("The body is not valid UTF-8.");
  }
}

/** The raw body of a stored delivery as text; null once retention dropped it. */
export function storedPayload(row: {
  payload: Uint8Array | null;
  payloadEncoding: PayloadEncoding | null;
}): string | null {
  return row.payload ? decodePayload(row.payload, row.payloadEncoding) : null;
}
