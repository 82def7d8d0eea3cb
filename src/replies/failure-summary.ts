// What a person on the pull request reads when a task failed: what went wrong and what to do, in words, never
// the agent's raw output (stderr, stack traces, tokens in URLs): that stays on the task page, behind sign-in.

interface Known {
  test: RegExp;
  summary: string;
}

const KNOWN: Known[] = [
  {
    test: /clon|could not read (from remote|username)|authentication failed|repository not found|permission denied \(publickey\)/i,
    summary:
      "The agent could not reach GitHub to clone the repository; check the App's installation or the executor's credentials.",
  },
  {
    test: /took longer than its limit|did not answer within|timed? ?out/i,
    summary: "The task ran out of time; ask again, or ask a Codex Admin to raise the time limit.",
  },
  {
    test: /could not be started|could not be run|could not start/i,
    summary: "The agent could not be started; ask a Codex Admin to check the executor.",
  },
  {
    test: /hub restarted/i,
    summary: "The hub restarted while the task ran; ask again.",
  },
  {
    test: /could not be (read|used)|without an answer/i,
    summary: "The agent's answer could not be used; ask again.",
  },
];

const GENERIC = "The agent stopped with an error; ask again, or ask a Codex Admin if it keeps failing.";

/** One or two sentences for people: a known cause and its remedy, else a generic line. */
export function summarizeFailure(error: string | null | undefined): string {
  if (!error) return GENERIC;
  return KNOWN.find((known) => known.test.test(error))?.summary ?? GENERIC;
}

/** The summary and where the rest is, for a comment on a pull request. */
export const failureForPeople = (error: string | null | undefined) =>
  `${summarizeFailure(error)} Details on the task page.`;
