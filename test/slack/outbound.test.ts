import { readFileSync } from "node:fs";
import { HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { RESPONSE_URL_OPERATION } from "../../src/clients/slack/calls";
import { createSlackClient } from "../../src/clients/slack/client";
import { OutboundError } from "../../src/clients/types";
import { nextDueAt } from "../../src/outbox/store";
import { deliverDue } from "../../src/outbox/worker";
import { SLACK_BOT_SCOPES, slackManifest, slackManifestYaml } from "../../src/surfaces/slack/manifest";
import { useWorld, type World } from "../helpers/world";
import { seedAcme, slackWorld } from "./acme";
import { BOT, mention } from "./requests";
import { SLACK_API, type SlackFake } from "./slack-fake";

// What leaves for Slack: through the outbox, `Retry-After` honoured on 429, `already_reacted` taken as done,
// one answer per task; response URLs posted as JSON; and the app manifest an admin pastes into Slack.

let hub: World;
let fakes: SlackFake;
const server = useWorld(
  (server) => slackWorld(server, { agent: () => "All done." }),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  await seedAcme(hub);
});

describe("outbound calls of a mention", () => {
  it("waits out a 429 as told, counts already_reacted as success, and answers once", async () => {
    let limited = 0;
    const seenAt: number[] = [];
    server.use(
      http.post(`${SLACK_API}reactions.add`, () =>
        HttpResponse.json({ ok: false, error: "already_reacted" }),
      ),
      http.post(`${SLACK_API}chat.postMessage`, async ({ request }) => {
        const text = new URLSearchParams(await request.text()).get("text") ?? "";
        if (text.includes("Working on it") && limited++ === 0) {
          seenAt.push(hub.clock.now());
          return HttpResponse.json(
            { ok: false, error: "ratelimited" },
            { status: 429, headers: { "Retry-After": "7" } },
          );
        }
        seenAt.push(hub.clock.now());
        fakes.calls.push({ method: "chat.postMessage", args: { text } });
        return HttpResponse.json({ ok: true, ts: "1.2" });
      }),
    );
    await mention(hub, { text: `<@${BOT}> fix it in acme/web` });
    await hub.settle();
    const waiting = await nextDueAt(hub.database);
    expect(waiting).toBe(seenAt[0]! + 7_000);
    hub.clock.set(waiting!);
    await hub.settle();
    await deliverDue(hub.deps);

    const rows = await hub.outbox();
    expect(rows.map((r) => [r.operation, r.status]).sort()).toEqual([
      ["chat.postMessage", "sent"],
      ["chat.postMessage", "sent"],
      // The status message says the task is done; ✅ replaces 👀.
      ["chat.update", "sent"],
      ["reactions.add", "sent"],
      ["reactions.add", "sent"],
      ["reactions.remove", "sent"],
    ]);
    const posted = fakes.calls.filter((c) => c.method === "chat.postMessage").map((c) => c.args.text ?? "");
    expect(posted.filter((t) => t.includes("Working on it"))).toHaveLength(1);
    expect(posted.filter((t) => t.includes("Completed"))).toHaveLength(1);
  });
});

describe("response URLs", () => {
  const client = createSlackClient({ apiUrl: SLACK_API, botToken: "xoxb-test", timeoutMs: 500 });
  const respond = (url: string) =>
    client.send({
      platform: "slack",
      operation: RESPONSE_URL_OPERATION,
      args: { url, body: { text: "hi" } },
    });

  it("posts the body as JSON, says when to retry, and never posts outside Slack", async () => {
    const seen: unknown[] = [];
    server.use(
      http.post("https://hooks.slack.com/commands/T1/ok", async ({ request }) => {
        seen.push(await request.json());
        return new HttpResponse("ok");
      }),
      http.post(
        "https://hooks.slack.com/commands/T1/busy",
        () => new HttpResponse("slow down", { status: 429, headers: { "Retry-After": "4" } }),
      ),
      http.post(
        "https://hooks.slack.com/commands/T1/gone",
        () => new HttpResponse("expired_url", { status: 404 }),
      ),
    );
    await respond("https://hooks.slack.com/commands/T1/ok");
    expect(seen).toEqual([{ text: "hi" }]);
    const busy = (await respond("https://hooks.slack.com/commands/T1/busy").catch((e) => e)) as OutboundError;
    expect(busy).toMatchObject({ retryable: true, retryAfterMs: 4000 });
    const gone = (await respond("https://hooks.slack.com/commands/T1/gone").catch((e) => e)) as OutboundError;
    expect(gone).toMatchObject({ retryable: false });
    const elsewhere = (await respond("https://attacker.test/collect").catch((e) => e)) as OutboundError;
    expect(elsewhere).toBeInstanceOf(OutboundError);
    expect(elsewhere.retryable).toBe(false);
  });
});

describe("the Slack app manifest", () => {
  it("points every URL at PUBLIC_URL, escapes the slash command, and asks for the scopes the hub uses", () => {
    const m = slackManifest("https://hub.example.org/");
    expect(m.features.slash_commands[0]).toMatchObject({
      command: "/codex",
      url: "https://hub.example.org/webhooks/slack/commands",
      should_escape: true,
    });
    expect(m.settings.event_subscriptions.request_url).toBe("https://hub.example.org/webhooks/slack/events");
    expect(m.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(["app_mention", "message.channels"]),
    );
    expect(m.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: "https://hub.example.org/webhooks/slack/interactions",
    });
    expect(m.oauth_config.redirect_urls).toContain("https://hub.example.org/setup/slack/callback");
    expect(m.oauth_config.scopes.bot).toEqual([...SLACK_BOT_SCOPES]);
    expect(SLACK_BOT_SCOPES).toEqual(
      expect.arrayContaining(["chat:write", "reactions:write", "users:read.email", "commands"]),
    );
  });

  it("asks for the user scopes Sign in with Slack needs, and reads every kind of conversation it hears", () => {
    const m = slackManifest("https://hub.example.org");
    // Sign in with Slack is OpenID Connect: https://api.slack.com/authentication/sign-in-with-slack
    expect(m.oauth_config.scopes.user).toEqual(["openid", "email", "profile"]);
    expect(m.oauth_config.redirect_urls).toContain("https://hub.example.org/sign-in/slack/callback");
    // Each conversation type the hub reads history from, it may also look up (conversations.info).
    const bot: string[] = m.oauth_config.scopes.bot;
    for (const kind of ["channels", "groups", "mpim", "im"]) {
      expect(bot.includes(`${kind}:history`), `${kind}:read with ${kind}:history`).toBe(
        bot.includes(`${kind}:read`),
      );
    }
    expect(bot).toContain("mpim:read");
    const yaml = slackManifestYaml("https://hub.example.org");
    expect(yaml).toContain("  scopes:\n    bot:\n");
    expect(yaml).toContain('    user:\n      - "openid"\n      - "email"\n      - "profile"\n');
  });

  it("slack/manifest.yaml is what `npm run slack:manifest` writes for its URL", () => {
    const committed = readFileSync(new URL("../../slack/manifest.yaml", import.meta.url), "utf8");
    const url = /for Codex hub at (\S+);/.exec(committed)?.[1];
    expect(url).toMatch(/^https:\/\//);
    expect(committed).toBe(slackManifestYaml(url!));
    expect(committed).toContain('    - command: "/codex"\n');
    expect(committed).toContain("      should_escape: true\n");
  });
});
