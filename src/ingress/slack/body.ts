import type { z } from "zod";
import { AppError } from "../../errors";

/** Parses a JSON body or says clearly that it is not JSON (400, never a 5xx). */
export function parseJson(text: string, what = "The body"): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_body", `${what} is not valid JSON.`);
  }
}

/** A form body (slash commands, interactivity) as a plain record; repeated keys keep their first value. */
export function parseForm(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) if (!(key in out)) out[key] = value;
  return out;
}

/**
 * Slack probes slash-command URLs with `ssl_check=1` (and a token) to test the certificate. It carries no
 * user data and Bolt answers it before verifying, so the hub does too; nothing is stored for it.
 * https://api.slack.com/interactivity/slash-commands ("SSL")
 */
export function isSslCheck(text: string): boolean {
  if (!text.includes("ssl_check")) return false;
  return new URLSearchParams(text).get("ssl_check") === "1";
}

/** Validates `value` or answers 400 naming the first offending fields. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError("invalid_body", `The ${what} payload does not have the expected shape.`, {
      issues: result.error.issues.slice(0, 5).map((i) => ({ path: i.path.join("."), message: i.message })),
    });
  }
  return result.data;
}

/**
 * A short, stable fingerprint of a body, for deliveries that carry no id of their own (e.g.
 * `app_rate_limited`): a redelivery of the same bytes gets the same key. Not a security hash; it only
 * has to keep different ignored payloads apart. Two 32-bit FNV-1a passes with different offsets.
 */
export function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}
