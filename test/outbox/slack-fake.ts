import { delay, HttpResponse, http } from "msw";

/** What the fake Slack does with one call: answer, fail, or hang past the client's timeout. */
export type SlackScript =
  | { kind: "ok" }
  | { kind: "rate_limited"; retryAfter: number }
  | { kind: "http"; status: number }
  | { kind: "error"; error: string }
  | { kind: "hang"; ms: number };

export interface SeenCall {
  method: string;
  /** The form fields the client sent (Slack Web API calls are form-encoded; objects travel as JSON strings). */
  args: Record<string, string>;
  /** The hub's clock when the call arrived. */
  at: number;
  outcome: SlackScript["kind"];
}

export const SLACK_API = "http://slack.test/api/";

/**
 * A Slack Web API stand-in for msw: each message (keyed by its `text`) follows a script of outcomes, then
 * answers ok. Every call is recorded with the hub's clock, so tests can check what was retried and when.
 */
export function slackFake(now: () => number) {
  const scripts = new Map<string, SlackScript[]>();
  const seen: SeenCall[] = [];
  let counter = 0;
  const handler = http.post(`${SLACK_API}:method`, async ({ request, params }) => {
    const form = new URLSearchParams(await request.text());
    const args = Object.fromEntries(form.entries());
    const key = args.text ?? args.name ?? "";
    const step = scripts.get(key)?.shift() ?? { kind: "ok" as const };
    seen.push({ method: String(params.method), args, at: now(), outcome: step.kind });
    switch (step.kind) {
      case "rate_limited":
        return HttpResponse.json(
          { ok: false, error: "ratelimited" },
          { status: 429, headers: { "Retry-After": String(step.retryAfter) } },
        );
      case "http":
        return new HttpResponse("upstream trouble", { status: step.status });
      case "error":
        return HttpResponse.json({ ok: false, error: step.error });
      case "hang":
        await delay(step.ms);
        return HttpResponse.json({ ok: false, error: "too_late" });
      case "ok":
        counter++;
        return HttpResponse.json({
          ok: true,
          channel: args.channel,
          ts: `1700000000.${String(counter).padStart(6, "0")}`,
        });
    }
  });
  return {
    handler,
    seen,
    script(text: string, steps: SlackScript[]) {
      scripts.set(text, [...steps]);
    },
    /** Calls the fake answered `ok: true`, i.e. messages that really landed. */
    delivered: () => seen.filter((c) => c.outcome === "ok"),
    callsFor: (text: string) => seen.filter((c) => c.args.text === text),
  };
}

/**
 * A Slack that answers `ok` to every call, except that the calls named in `hold` (by their `text`) get their
 * answer only once the test releases them. Records in `events` when each call arrived and was answered, so a
 * test sees which calls were under way at once and in what order they left.
 */
export function heldSlack(hold: string[]) {
  const events: string[] = [];
  const gates = new Map(
    hold.map((text) => {
      let open = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      return [text, { opened, open }] as const;
    }),
  );
  const handler = http.post(`${SLACK_API}:method`, async ({ request }) => {
    const text = new URLSearchParams(await request.text()).get("text") ?? "";
    events.push(`arrived ${text}`);
    await gates.get(text)?.opened;
    events.push(`answered ${text}`);
    return HttpResponse.json({ ok: true, channel: "C", ts: "1700000000.000001" });
  });
  return { handler, events, release: (text: string) => gates.get(text)?.open() };
}
