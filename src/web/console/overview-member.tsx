import type { Config } from "../../config";
import type { MemberFacts } from "./overview-facts";

// The short overview every member sees: which of their accounts Codex knows, how to ask Codex for work on the
// platforms this hub serves, and the environments they can pick.

const PLATFORM_NAMES: Record<string, string> = { slack: "Slack", github: "GitHub", linear: "Linear" };

function howToStart(config: Config): string[] {
  const ways: string[] = [];
  if (config.sandbox || config.slack.botToken || config.slack.clientId) {
    ways.push(
      "In Slack: mention @Codex in a channel it was invited to, with what you need; /codex help lists the commands.",
    );
  }
  if (config.sandbox || config.github.appId) {
    ways.push("On GitHub: comment @codex review on a pull request, or @codex followed by a request.");
  }
  if (config.sandbox || config.linear.apiKey || config.linear.clientId) {
    ways.push("In Linear: mention @Codex in an issue, or delegate the issue to Codex.");
  }
  return ways;
}

export function MemberOverview(props: { config: Config; facts: MemberFacts | null }) {
  const ways = howToStart(props.config);
  const facts = props.facts;
  return (
    <section aria-labelledby="you">
      <h2 id="you">Using Codex</h2>
      {facts ? (
        <>
          <h3>Your linked accounts</h3>
          {facts.identities.length === 0 ? (
            <p class="muted">
              None yet. Slack and Linear accounts are matched by email the first time you mention Codex;
              connect GitHub at <a href="/connect/github">/connect/github</a>.
            </p>
          ) : (
            <ul>
              {facts.identities.map((i) => (
                <li>
                  {PLATFORM_NAMES[i.platform] ?? i.platform}: {i.display}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
      <h3>Start a task</h3>
      {ways.length === 0 ? (
        <p class="muted">No platform is connected to this hub yet; ask a workspace owner.</p>
      ) : (
        <ul>
          {ways.map((w) => (
            <li>{w}</li>
          ))}
        </ul>
      )}
      {facts ? (
        <>
          <h3>Environments you can use</h3>
          {facts.environments.length === 0 ? (
            <p class="muted">
              None you can use yet. See <a href="/environments">Environments</a>.
            </p>
          ) : (
            <ul>
              {facts.environments.map((e) => (
                <li>
                  <strong>{e.name}</strong> <span class="muted">{e.repository}</span>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
