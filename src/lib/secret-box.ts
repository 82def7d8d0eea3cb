import { getTableName } from "drizzle-orm";
import type { SealedColumn } from "../db/sealed-columns";

/**
 * Secrets at rest (platform tokens, private keys) are sealed with AES-256-GCM under HUB_ENCRYPTION_KEY, bound
 * to where they are stored: the additional data is `table:column:row`, so a sealed value copied into another
 * row or column (by anyone who can write the database but lacks the key) does not open there.
 *
 * Stored form: `v2.<iv base64>.<ciphertext+tag base64>`. The older `v1.` form carried no binding; it is only
 * opened to be re-sealed at start (db/reseal-legacy.ts), never served.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function unb64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Where a sealed value is stored: one of the sealed columns (db/sealed-columns.ts) and its row's key. */
export interface SealedAt {
  column: SealedColumn;
  row: string;
}

/** The binding as text: the AES-GCM additional data, and a name for the value in messages. */
export function bindingOf(at: SealedAt): string {
  return `${getTableName(at.column.table)}:${at.column.name}:${at.row}`;
}

/** A stored value that does not open where it is: moved, tampered with, or sealed under another key. */
export class SealedValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedValueError";
  }
}

export interface SecretBox {
  seal(plain: string, at: SealedAt): Promise<string>;
  open(sealed: string, at: SealedAt): Promise<string>;
  /** A `v1.` value, which has no binding: only for re-sealing it in place. */
  openLegacy(sealed: string): Promise<string>;
}

export function createSecretBox(base64Key: string): SecretBox {
  const raw = unb64(base64Key);
  if (raw.length !== 32) throw new Error("HUB_ENCRYPTION_KEY must be 32 bytes, base64-encoded");
  const key = crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  const aadOf = (at: SealedAt) => {
    if (!at.row) throw new SealedValueError(`a sealed value needs its row: ${bindingOf(at)}`);
    // Typed for both the DOM's and the Workers runtime's TextEncoder, which differ only in the buffer type.
    return encoder.encode(bindingOf(at)) as Uint8Array<ArrayBuffer>;
  };
  const decrypt = async (sealed: string, version: "v1" | "v2", aad: Uint8Array<ArrayBuffer> | undefined) => {
    const [prefix, iv, body, extra] = sealed.split(".");
    if (prefix !== version || !iv || !body || extra !== undefined) return null;
    try {
      const params = { name: "AES-GCM", iv: unb64(iv), ...(aad ? { additionalData: aad } : {}) };
      return decoder.decode(await crypto.subtle.decrypt(params, await key, unb64(body)));
    } catch {
      return null;
    }
  };
  return {
    async seal(plain, at) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const params = { name: "AES-GCM", iv, additionalData: aadOf(at) };
      const sealed = await crypto.subtle.encrypt(params, await key, encoder.encode(plain));
      return `v2.${b64(iv)}.${b64(new Uint8Array(sealed))}`;
    },
    async open(sealed, at) {
      const plain = await decrypt(sealed, "v2", aadOf(at));
      if (plain !== null) return plain;
      throw new SealedValueError(
        sealed.startsWith("v1.")
          ? `${bindingOf(at)} is still in the unbound v1 form: it could not be re-sealed at start (see the start-up log)`
          : `${bindingOf(at)} does not open: it was sealed for another table, column or row, or under another HUB_ENCRYPTION_KEY`,
      );
    },
    async openLegacy(sealed) {
      const plain = await decrypt(sealed, "v1", undefined);
      if (plain === null) throw new SealedValueError("not a v1 sealed value under this HUB_ENCRYPTION_KEY");
      return plain;
    },
  };
}
