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

export function encodePayload(text: string): { payload: Buffer; payloadEncoding: PayloadEncoding } {
  return { payload: brotliCompressSync(text, compressOptions), payloadEncoding: "br" };
}

/** Rows stored before compression came in have no encoding and hold the UTF-8 bytes as received. */
export function decodePayload(payload: Uint8Array, encoding: PayloadEncoding | null): string {
  const bytes = encoding === "br" ? brotliDecompressSync(payload) : payload;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/** The raw body of a stored delivery as text; null once retention dropped it. */
export function storedPayload(row: {
  payload: Uint8Array | null;
  payloadEncoding: PayloadEncoding | null;
}): string | null {
  return row.payload ? decodePayload(row.payload, row.payloadEncoding) : null;
}
