import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { InboxRow } from "../../src/db/schema/inbox";
import type { Platform } from "../../src/ingress/events";
import { githubExample } from "../helpers/github-examples";
import { githubRequest, linearRequest, slackHeaders } from "../helpers/signers";
import type { World } from "../helpers/world";

/** Sample payloads are free-form JSON that tests reshape at will. */
export type Json = Record<string, any>;

/** The inbox rows (the Node driver answers synchronously). */
export function storedRows(hub: World): InboxRow[] {
  return hub.inbox() as unknown as InboxRow[];
}

/** A signed request ready to send, with what the hub should store it as. */
export interface Built {
  body: string;
  headers: Record<string, string>;
  key: string;
  eventType: string;
}

export interface SignOptions {
  secret: string;
  /** When the platform says it sent the request (ms); only Slack and Linear sign a time. */
  at: number;
}

/** A fresh copy of a sample payload from test/fixtures/<platform>/<name>.json. */
export function fixture(platform: "slack" | "linear", name: string): Json {
  return JSON.parse(readFileSync(new URL(`../fixtures/${platform}/${name}.json`, import.meta.url), "utf8"));
}

const json = "application/json";
const form = "application/x-www-form-urlencoded";

/** A Slack Events API envelope, signed. */
export function slackEvent(payload: Json, o: SignOptions): Built {
  const body = JSON.stringify(payload);
  return {
    body,
    headers: slackHeaders(body, o, json),
    key: payload.event_id,
    eventType: `event_callback.${payload.event?.type}`,
  };
}

/** A slash command form body, signed as Slack signs it. */
export function slackCommand(fields: Record<string, string>, o: SignOptions): Built {
  const body = new URLSearchParams(fields).toString();
  return {
    body,
    headers: slackHeaders(body, o, form),
    key: `cmd:${fields.team_id}:${fields.trigger_id}`,
    eventType: "slash_command",
  };
}

/** An interactivity form body (`payload=<json>`), signed. */
export function slackInteraction(payload: Json, o: SignOptions): Built {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const teamId = payload.team?.id ?? payload.user?.team_id;
  return {
    body,
    headers: slackHeaders(body, o, form),
    key: `ia:${teamId}:${payload.trigger_id}`,
    eventType: `interaction.${payload.type}`,
  };
}

/** A Linear webhook stamped `at` inside the signed body, as Linear does. */
export function linearWebhook(payload: Json, o: SignOptions & { delivery?: string | null }): Built {
  const { body, headers } = linearRequest(payload, o);
  return {
    body,
    headers,
    key: headers["linear-delivery"] ?? `${payload.webhookId}:${o.at}`,
    eventType: `${payload.type}.${payload.action}`,
  };
}

export async function githubDelivery(
  name: string,
  action: string | undefined,
  o: SignOptions & { body?: string },
): Promise<Built> {
  const delivery = crypto.randomUUID();
  const init = await githubRequest(githubExample(name, action), {
    event: name,
    delivery,
    secret: o.secret,
    ...(o.body === undefined ? {} : { body: o.body }),
  });
  return {
    body: init.body as string,
    headers: init.headers as Record<string, string>,
    key: delivery,
    eventType: action ? `${name}.${action}` : name,
  };
}

/** Sends a built request through the whole app. */
export function send(hub: World, path: string, built: Pick<Built, "body" | "headers">) {
  return hub.request(path, { method: "POST", body: built.body, headers: built.headers });
}

/** Asserts the one JSON error envelope every failure uses. */
export async function expectError(res: Response, status: number, code?: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error).toEqual(
    expect.objectContaining({
      message: expect.any(String),
      requestId: expect.any(String),
      code: expect.any(String),
    }),
  );
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(body.error.requestId.length).toBeGreaterThan(0);
  if (code) expect(body.error.code).toBe(code);
  return body.error;
}

export type { Platform };

/**
 * The acknowledgement of a stored delivery: from the JSON body where the port answers with one, else from
 * the `x-hub-delivery*` headers (Slack commands and interactions must answer with an empty body).
 */
export async function ackOf(res: Response): Promise<{ ok?: boolean; delivery: string; status: string }> {
  const text = await res.text();
  if (text) return JSON.parse(text);
  return {
    delivery: res.headers.get("x-hub-delivery") ?? "",
    status: res.headers.get("x-hub-delivery-status") ?? "",
  };
}
