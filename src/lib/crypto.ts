import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Hashing and HMAC helpers for Node and Workers alike: `node:crypto` (Workers provide it under
 * `nodejs_compat`) computes them synchronously on the calling thread. Web Crypto's `subtle` would hand each
 * one to a thread pool and copy its input there, which costs ingress more than the hash itself (about 100 µs
 * for a 23 KB GitHub body against 25 µs here). The functions stay async so callers do not depend on that.
 */

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = "";
  for (const b of view) out += b.toString(16).padStart(2, "0");
  return out;
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export async function hmacSha256Hex(secret: string, data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  return createHmac("sha256", secret).update(data).digest("hex");
}

/**
 * True when `hexSignature` is the HMAC-SHA256 of `data` under any of `secrets` (current first, then rotated),
 * compared in constant time.
 */
export async function verifyHmacSha256Hex(
  secrets: readonly string[],
  data: string | Uint8Array<ArrayBuffer>,
  hexSignature: string,
): Promise<boolean> {
  const signature = fromHex(hexSignature);
  if (signature?.length !== 32) return false;
  for (const secret of secrets) {
    if (timingSafeEqual(createHmac("sha256", secret).update(data).digest(), signature)) return true;
  }
  return false;
}

export async function sha256Hex(data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  return createHash("sha256").update(data).digest("hex");
}

export function randomSecret(bytes = 32): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return btoa(String.fromCharCode(...buf));
}
