/**
 * A value sealed the way the hub sealed secrets before seals were bound to their place: AES-256-GCM with no
 * additional data, stored as `v1.<iv>.<ciphertext+tag>`. For tests of databases written by that version.
 */
export async function sealV1(base64Key: string, plain: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", Buffer.from(base64Key, "base64"), "AES-GCM", false, [
    "encrypt",
  ]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, new TextEncoder().encode(plain));
  return `v1.${Buffer.from(iv).toString("base64")}.${Buffer.from(sealed).toString("base64")}`;
}
