/**
 * Secrets at rest (platform tokens, private keys) are sealed with AES-256-GCM under HUB_ENCRYPTION_KEY.
 * Stored form: `v1.<iv base64>.<ciphertext+tag base64>`; the version prefix leaves room for key rotation.
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

export interface SecretBox {
  seal(plain: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

export function createSecretBox(base64Key: string): SecretBox {
  const raw = unb64(base64Key);
  if (raw.length !== 32) throw new Error("HUB_ENCRYPTION_KEY must be 32 bytes, base64-encoded");
  const key = crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  return {
    async seal(plain) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await key, encoder.encode(plain));
      return `v1.${b64(iv)}.${b64(new Uint8Array(sealed))}`;
    },
    async open(sealed) {
      const [version, iv, body] = sealed.split(".");
      if (version !== "v1" || !iv || !body) throw new Error("not a sealed secret");
      const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: unb64(iv) }, await key, unb64(body));
      return decoder.decode(plain);
    },
  };
}
