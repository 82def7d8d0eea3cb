import { describe, expect, it } from "vitest";
import { parseGithubMention } from "../../src/routing/github-mention";
import { parseMention } from "../../src/routing/mention";
import { readModePrefix } from "../../src/routing/task-mode";
import { modeOf } from "../../src/surfaces/linear/requests";

// `ask:` / `code:` at the start of a request, read the same way on every surface.

describe("readModePrefix", () => {
  it.each([
    ["ask: why is it slow?", { mode: "ask", text: "why is it slow?" }],
    ["  Ask:why is it slow?", { mode: "ask", text: "why is it slow?" }],
    ["CODE : fix it", { mode: "code", text: "fix it" }],
    ["*ask:* why?", { mode: "ask", text: "why?" }],
    ["ask why is it slow?", { text: "ask why is it slow?" }],
    ["please ask: the team", { text: "please ask: the team" }],
    ["codex: fix it", { text: "codex: fix it" }],
    ["asking: nothing", { text: "asking: nothing" }],
  ])("%j", (text, expected) => {
    expect(readModePrefix(text)).toEqual(expected);
  });
});

describe("the prefix on each surface", () => {
  it("Slack: after the bot's mention and an env: directive", () => {
    expect(parseMention("<@UBOT> ask: why does login flake?", { botUserId: "UBOT" })).toEqual({
      prompt: "why does login flake?",
      mode: "ask",
    });
    expect(
      parseMention("<@UBOT> env:web code: fix the login", { botUserId: "UBOT", environmentNames: ["web"] }),
    ).toEqual({ prompt: "fix the login", mode: "code", environmentName: "web" });
    expect(parseMention("<@UBOT> fix the login", { botUserId: "UBOT" })).toEqual({ prompt: "fix the login" });
  });

  it("GitHub: right after @codex, keeping the words written before it", () => {
    expect(parseGithubMention("@codex ask: why is `c` here?")).toEqual({
      kind: "task",
      prompt: "why is `c` here?",
      mode: "ask",
    });
    expect(parseGithubMention("This is odd. @codex, code: rename it")).toEqual({
      kind: "task",
      prompt: "This is odd. rename it",
      mode: "code",
    });
    expect(parseGithubMention("@codex ask:")).toBeNull();
    expect(parseGithubMention("@codex review")).toEqual({ kind: "review" });
  });

  it("Linear: after the mention; without a prefix the words stay as written", () => {
    expect(modeOf("@codex ask: what does this issue need?")).toEqual({
      mode: "ask",
      prompt: "what does this issue need?",
    });
    expect(modeOf("code: fix it")).toEqual({ mode: "code", prompt: "fix it" });
    expect(modeOf("@codex please fix this")).toEqual({ prompt: "@codex please fix this" });
  });
});
