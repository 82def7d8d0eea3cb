/**
 * Web Crypto helpers, so the same code runs on Node and on Workers.
 * HMAC comparisons go through `crypto.subtle.verify`, which compares in constant time.
 */
const encoder = new TextEncoder();

// Imported keys, by secret. This one memo stays at module level: it is pure (a secret always imports to the
// same non-extractable key, whichever hub asks), it saves an import on every signed request, and the
// functions below take a secret rather than deps, as signing code everywhere calls them. The secrets are
// few (configured signing secrets, with rotated ones), so a small bound keeps a process that sees many
// from holding them all.
const HMAC_KEYS_HELD = 64;
const hmacKeys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    if (hmacKeys.size >= HMAC_KEYS_HELD) hmacKeys.delete(hmacKeys.keys().next().value as string);
    hmacKeys.set(secret, key);
  }
  return key;
}

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
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  return toHex(await crypto.subtle.sign("HMAC", await hmacKey(secret), bytes));
}

/** True when `hexSignature` is the HMAC-SHA256 of `data` under any of `secrets` (current first, then rotated). */
export async function verifyHmacSha256Hex(
  secrets: readonly string[],
  data: string | Uint8Array<ArrayBuffer>,
  hexSignature: string,
): Promise<boolean> {
  const signature = fromHex(hexSignature);
  if (signature?.length !== 32) return false;
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  for (const secret of secrets) {
    if (await crypto.subtle.verify("HMAC", await hmacKey(secret), signature, bytes)) return true;
  }
  return false;
}

export async function sha256Hex(data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", typeof data === "string" ? encoder.encode(data) : data));
}

export function randomSecret(bytes = 32): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return btoa(String.fromCharCode(...buf));
}
