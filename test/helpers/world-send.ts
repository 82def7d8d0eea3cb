import type { Clock } from "../../src/lib/clock";
import { githubRequest, linearRequest, slackHeaders } from "./signers";
import { testSecrets } from "./world-config";

interface App {
  request(path: string, init: RequestInit): Response | Promise<Response>;
}

const FORM = "application/x-www-form-urlencoded";

/**
 * Deliveries as each platform sends them to the hub's webhook routes, signed with the current secret; Slack
 * and Linear sign the time, taken from the world's clock.
 */
export function worldSenders(app: App, clock: Clock) {
  let deliveries = 0;
  const post = async (path: string, request: { body: string; headers: Record<string, string> }) =>
    app.request(path, { method: "POST", body: request.body, headers: request.headers });
  const slack = (path: string, body: string, contentType: string, extra: Record<string, string> = {}) =>
    post(path, {
      body,
      headers: {
        ...slackHeaders(body, { secret: testSecrets.slack.current, at: clock.now() }, contentType),
        ...extra,
      },
    });
  return {
    /** An Events API delivery; `retry` adds the headers of Slack's nth retry. */
    slackEvent: (payload: unknown, retry?: number) =>
      slack(
        "/webhooks/slack/events",
        JSON.stringify(payload),
        "application/json",
        retry ? { "x-slack-retry-num": String(retry), "x-slack-retry-reason": "http_timeout" } : {},
      ),
    /** A slash command, as its form fields. */
    slackCommand: (fields: Record<string, string>) =>
      slack("/webhooks/slack/commands", new URLSearchParams(fields).toString(), FORM),
    /** A button press or another interaction (`payload=<json>`). */
    slackInteraction: (payload: unknown) =>
      slack(
        "/webhooks/slack/interactions",
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        FORM,
      ),
    /** A GitHub webhook, `event` being its X-GitHub-Event. */
    async github(event: string, payload: unknown, delivery = `d-${++deliveries}-${Math.random()}`) {
      const init = await githubRequest(payload, { event, delivery, secret: testSecrets.github.current });
      return app.request("/webhooks/github", init);
    },
    /** A Linear webhook; a fresh delivery id unless given (null: none, as older webhooks send). */
    linear: (payload: Record<string, unknown>, delivery?: string | null) =>
      post(
        "/webhooks/linear",
        linearRequest(payload, { secret: testSecrets.linear.current, at: clock.now(), delivery }),
      ),
  };
}
