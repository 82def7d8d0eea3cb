import { createHmac } from "node:crypto";
import fc from "fast-check";
import type { Platform } from "../../src/ingress/events";
import { githubExample } from "../helpers/github-examples";
import { fixture, type Json } from "./deliveries";

/**
 * What the webhook fuzz suite sends: per endpoint, real payloads to mutate, how a payload becomes a body,
 * and how the platform signs a body (over the raw bytes, with node:crypto, independent of the hub's code).
 */
export interface Endpoint {
  path: string;
  platform: Platform;
  contentType: string;
  seeds: { event: string; payload: Json }[];
  /** Fields the delivery key is read from, as paths into the payload. */
  keyPaths: string[][];
  /** Gives a seed fresh ids (so mutated copies are mostly new deliveries) and the current time. */
  freshen(payload: Json, n: number, now: number): void;
  encode(payload: unknown): string;
  /** Every header the platform sends; `id` is the unsigned delivery header where the platform has one. */
  sign(body: Uint8Array, o: { secret: string; now: number; event: string; id: string | null }): Headers;
}

const hex = (secret: string, ...parts: (string | Uint8Array)[]) => {
  const hmac = createHmac("sha256", secret);
  for (const p of parts) hmac.update(p);
  return hmac.digest("hex");
};

/** Headers as a fetch client builds them; `null` leaves a header out. */
function headers(entries: Record<string, string | null>): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(entries)) if (v !== null) out.append(k, v);
  return out;
}

const json = "application/json";
const form = "application/x-www-form-urlencoded";
const asField = (v: unknown) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""));

const slackSign: Endpoint["sign"] = (body, o) => {
  const ts = String(Math.floor(o.now / 1000));
  return headers({
    "x-slack-request-timestamp": ts,
    "x-slack-signature": `v0=${hex(o.secret, `v0:${ts}:`, body)}`,
  });
};

const githubSeeds: [string, string | undefined, number?][] = [
  ["pull_request", "opened", 1],
  ["pull_request", "synchronize"],
  ["pull_request", "review_requested"],
  ["issue_comment", "created"],
  ["pull_request_review_comment", "created"],
  ["installation", "created"],
  ["installation_repositories", "added"],
  ["ping", undefined],
  ["check_run", "created"],
];

export const endpoints: Endpoint[] = [
  {
    path: "/webhooks/github",
    platform: "github",
    contentType: json,
    seeds: githubSeeds.map(([event, action, i]) => ({
      event,
      payload: githubExample(event, action, i ?? 0),
    })),
    keyPaths: [],
    freshen: () => {},
    encode: (p) => JSON.stringify(p),
    sign: (body, o) =>
      headers({
        "x-github-event": o.event,
        "x-github-delivery": o.id,
        "x-hub-signature-256": `sha256=${hex(o.secret, body)}`,
      }),
  },
  {
    path: "/webhooks/slack/events",
    platform: "slack",
    contentType: json,
    seeds: ["app-mention", "thread-message", "bot-thread-message", "message-changed", "reaction-added"]
      .concat(["app-rate-limited", "url-verification"])
      .map((name) => ({ event: name, payload: fixture("slack", name) })),
    keyPaths: [["event_id"], ["team_id"], ["type"]],
    freshen: (p, n) => {
      if (typeof p.event_id === "string") p.event_id = `EvFUZZ${n}`;
    },
    encode: (p) => JSON.stringify(p),
    sign: slackSign,
  },
  {
    path: "/webhooks/slack/commands",
    platform: "slack",
    contentType: form,
    seeds: [{ event: "slash_command", payload: fixture("slack", "slash-command") }],
    keyPaths: [["trigger_id"], ["team_id"]],
    freshen: (p, n) => {
      p.trigger_id = `${n}.6123456789.fuzz`;
    },
    encode: (p) =>
      new URLSearchParams(
        p && typeof p === "object" ? Object.entries(p).map(([k, v]) => [k, asField(v)]) : [],
      ).toString(),
    sign: slackSign,
  },
  {
    path: "/webhooks/slack/interactions",
    platform: "slack",
    contentType: form,
    seeds: ["block-actions", "message-shortcut"].map((name) => ({
      event: name,
      payload: fixture("slack", name),
    })),
    keyPaths: [["trigger_id"], ["team", "id"], ["user", "team_id"]],
    freshen: (p, n) => {
      p.trigger_id = `${n}.6123456789.fuzz`;
    },
    encode: (p) => new URLSearchParams({ payload: JSON.stringify(p) ?? "" }).toString(),
    sign: slackSign,
  },
  {
    path: "/webhooks/linear",
    platform: "linear",
    contentType: json,
    seeds: ["agent-session-created", "agent-session-prompted", "comment-create", "issue-delegated"]
      .concat(["issue-title-update", "project-create"])
      .map((name) => ({ event: name, payload: fixture("linear", name) })),
    keyPaths: [["webhookId"], ["webhookTimestamp"]],
    freshen: (p, n, now) => {
      p.webhookId = `wh-fuzz-${n}`;
      p.webhookTimestamp = now;
    },
    encode: (p) => JSON.stringify(p),
    sign: (body, o) =>
      headers({ "linear-delivery": o.id, "linear-event": o.event, "linear-signature": hex(o.secret, body) }),
  },
];

/** Header values a client can send: no NUL, CR or LF (a fetch client cannot), anything else up to 0xFF. */
export const headerText = (maxLength = 80) =>
  fc
    .array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x09, max: 0xff })), {
      maxLength,
    })
    .map((codes) => String.fromCharCode(...codes.filter((c) => c !== 0x0a && c !== 0x0d)));

/** Strings that have broken parsers and headers before, for key fields and values. */
export const hostileText = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\r\nx-injected: 1",
    "\u0000",
    "\u2603",
    "\ud800",
    "e\u0301",
    "x".repeat(300),
    "../",
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  headerText(),
);

/** The Content-Type a request carries: mostly right, sometimes empty, huge, doubled or something else. */
export const contentType = (right: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(right) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(`${right}; charset=utf-8`, right.toUpperCase(), `${right}, ${right}`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "",
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/json, application/x-www-form-urlencoded",
      ),
    },
    { weight: 1, arbitrary: fc.constant(`${right}; ${"p=v; ".repeat(2000)}`) },
    { weight: 1, arbitrary: headerText(200) },
  );

/** A change to a payload: set or delete any field, or put a value into a field the delivery key comes from. */
type Op = { at: number; kind: "set" | "delete" | "key"; value: unknown };

export const mutations = fc.array(
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom<Op["kind"]>("set", "delete", "key"),
    value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileText),
  }),
  { maxLength: 4 },
);

/** Every (container, key) pair in a JSON document, so a mutation can land anywhere in it. */
function slots(root: unknown): [Record<string, unknown>, string][] {
  const out: [Record<string, unknown>, string][] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    for (const key of Object.keys(node)) {
      out.push([node as Record<string, unknown>, key]);
      walk((node as Record<string, unknown>)[key]);
    }
  };
  walk(root);
  return out;
}

export function mutate(payload: Json, ops: Op[], keyPaths: string[][]): Json {
  for (const op of ops) {
    if (op.kind === "key" && keyPaths.length > 0) {
      const path = keyPaths[op.at % keyPaths.length]!;
      let node: Json | undefined = payload;
      for (const part of path.slice(0, -1)) node = node?.[part];
      if (node && typeof node === "object") node[path.at(-1)!] = op.value;
      continue;
    }
    const all = slots(payload);
    if (all.length === 0) return payload;
    const [container, key] = all[op.at % all.length]!;
    if (op.kind === "delete") delete container[key];
    else container[key] = op.value;
  }
  return payload;
}
