import { HttpResponse, http } from "msw";

// Slack as the hub's real Slack client meets it (msw): the Web API and the response URLs of commands and
// buttons, recording every call.

export const SLACK_API = "http://slack.test/api/";
export const RESPONSE_HOST = "https://hooks.slack.com";

export interface SlackCall {
  method: string;
  args: Record<string, string>;
}

/**
 * users.info reports the email `emails` gives each user (an outside email for anyone else);
 * conversations.replies and conversations.info answer from what the test sets; any other method is ok.
 */
export function slackFake(emails: Record<string, string>) {
  const calls: SlackCall[] = [];
  const responses: { url: string; body: Record<string, unknown> }[] = [];
  /** conversations.replies answer, by thread ts. */
  const threads = new Map<string, Record<string, unknown>[]>();
  /** conversations.info: channels shared with another organization. */
  const sharedChannels = new Set<string>();
  let counter = 0;
  const handlers = [
    http.post(`${SLACK_API}:method`, async ({ request, params }) => {
      const args = Object.fromEntries(new URLSearchParams(await request.text()).entries());
      const method = String(params.method);
      calls.push({ method, args });
      if (method === "users.info") {
        return HttpResponse.json({
          ok: true,
          user: {
            id: args.user,
            deleted: false,
            is_bot: false,
            profile: { email: emails[args.user ?? ""] ?? "someone@else.test" },
          },
        });
      }
      if (method === "conversations.replies") {
        return HttpResponse.json({ ok: true, messages: threads.get(args.ts ?? "") ?? [], has_more: false });
      }
      if (method === "conversations.info") {
        return HttpResponse.json({
          ok: true,
          channel: { id: args.channel, is_ext_shared: sharedChannels.has(args.channel ?? "") },
        });
      }
      counter++;
      return HttpResponse.json({
        ok: true,
        channel: args.channel,
        ts: `1800000000.${String(counter).padStart(6, "0")}`,
      });
    }),
    http.post(`${RESPONSE_HOST}/*`, async ({ request }) => {
      responses.push({ url: request.url, body: (await request.json()) as Record<string, unknown> });
      return new HttpResponse("ok");
    }),
  ];
  const env = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_API_URL: SLACK_API };
  return { env, handlers, calls, responses, threads, sharedChannels };
}

export type SlackFake = ReturnType<typeof slackFake>;
