import { describe, expect, it } from "vitest";
import { chooseEnvironment, NO_ENVIRONMENTS_MESSAGE, parseMention } from "../../src/routing/mention";

const bot = { botUserId: "UBOT" };

describe("parseMention", () => {
  it("strips the bot's own mention, with or without a label, and unwraps the rest", () => {
    expect(parseMention("<@UBOT> fix the flaky login test", bot)).toEqual({
      prompt: "fix the flaky login test",
    });
    expect(parseMention("<@UBOT|codex>   please ask <@U22|ann> about <#C1|dev>", bot)).toEqual({
      prompt: "please ask @ann about #dev",
    });
    expect(parseMention("hey <@UBOT>, 1 &lt; 2 &amp;&amp; ok", bot).prompt).toBe("hey , 1 < 2 && ok");
  });

  it("keeps other people's mentions and line breaks", () => {
    expect(parseMention("<@UBOT> ping <@UOTHER>\nsecond line", bot).prompt).toBe("ping @UOTHER\nsecond line");
  });

  it("finds a repository from a GitHub URL, even a Slack-wrapped one", () => {
    expect(
      parseMention("<@UBOT> see <https://github.com/acme/api/pull/7|github.com/acme/api/pull/7>", bot),
    ).toEqual({
      prompt: "see https://github.com/acme/api/pull/7",
      repository: "acme/api",
    });
  });

  it("finds a bare owner/name after a place word, or anywhere when it is a known repository", () => {
    expect(parseMention("<@UBOT> fix the test in acme/api.", bot).repository).toBe("acme/api");
    expect(parseMention("<@UBOT> repo:acme/web bump deps", bot).repository).toBe("acme/web");
    expect(
      parseMention("<@UBOT> acme/web needs a bump", { ...bot, repositories: ["Acme/Web"] }).repository,
    ).toBe("Acme/Web");
  });

  it("does not take paths, code or and/or for repositories", () => {
    expect(parseMention("<@UBOT> fix src/app.ts and/or lib/util.ts", bot).repository).toBeUndefined();
    expect(parseMention("<@UBOT> the bug is in `acme/api` notation", bot).repository).toBeUndefined();
    expect(parseMention("<@UBOT> look in src/routes/index.ts", bot).repository).toBeUndefined();
  });

  it("reads an env: directive and removes it from the prompt", () => {
    expect(
      parseMention("<@UBOT> env:staging run the migrations", { ...bot, environmentNames: ["Staging"] }),
    ).toEqual({
      prompt: "run the migrations",
      environmentName: "Staging",
    });
    expect(parseMention('<@UBOT> deploy env:"api prod" now', bot)).toEqual({
      prompt: "deploy now",
      environmentName: "api prod",
    });
  });

  it("reads `in <env name>` only for known names, longest first, and keeps it in the prompt", () => {
    const names = ["api", "api staging"];
    expect(
      parseMention("<@UBOT> reproduce it in api staging please", { ...bot, environmentNames: names }),
    ).toEqual({
      prompt: "reproduce it in api staging please",
      environmentName: "api staging",
    });
    expect(
      parseMention("<@UBOT> reproduce it in API.", { ...bot, environmentNames: names }).environmentName,
    ).toBe("api");
    expect(
      parseMention("<@UBOT> reproduce it in apiary", { ...bot, environmentNames: names }).environmentName,
    ).toBeUndefined();
    expect(parseMention("<@UBOT> put it in production", bot).environmentName).toBeUndefined();
  });
});

const api = { id: "e1", name: "api", repository: "acme/api" };
const apiStaging = { id: "e2", name: "api staging", repository: "acme/api" };
const web = { id: "e3", name: "web", repository: "acme/web" };

describe("chooseEnvironment", () => {
  it("says there are no available environments when the member may use none", () => {
    expect(chooseEnvironment({ usable: [], channelDefaultEnvId: "e1" })).toEqual({
      kind: "none",
      message: NO_ENVIRONMENTS_MESSAGE,
    });
    expect(NO_ENVIRONMENTS_MESSAGE).toMatch(/^No available environments/);
  });

  it("prefers an environment named in the message over every default", () => {
    const choice = chooseEnvironment({
      explicitEnvironmentName: "WEB",
      explicitRepository: "acme/api",
      channelDefaultEnvId: "e1",
      usable: [api, web],
    });
    expect(choice).toEqual({ kind: "chosen", environment: web, reason: "explicit-environment" });
  });

  it("uses the repository named in the message before the channel default", () => {
    expect(
      chooseEnvironment({ explicitRepository: "Acme/Web", channelDefaultEnvId: "e1", usable: [api, web] }),
    ).toEqual({
      kind: "chosen",
      environment: web,
      reason: "explicit-repository",
    });
  });

  it("breaks a tie between environments of the named repository with the channel, then team default", () => {
    const usable = [api, apiStaging, web];
    expect(
      chooseEnvironment({ explicitRepository: "acme/api", channelDefaultEnvId: "e2", usable }),
    ).toMatchObject({
      environment: apiStaging,
    });
    expect(
      chooseEnvironment({ explicitRepository: "acme/api", teamDefaultEnvId: "e1", usable }),
    ).toMatchObject({
      environment: api,
    });
    expect(chooseEnvironment({ explicitRepository: "acme/api", channelDefaultEnvId: "e3", usable })).toEqual({
      kind: "pick",
      options: [api, apiStaging],
      message: expect.stringContaining("Several environments use acme/api"),
    });
  });

  it("never substitutes: a name that is not usable stops the request, a repository that is not asks", () => {
    const byName = chooseEnvironment({
      explicitEnvironmentName: " secret ",
      channelDefaultEnvId: "e1",
      usable: [api],
    });
    expect(byName).toEqual({
      kind: "unknown-name",
      name: "secret",
      message: "No environment named “secret” is available to you.",
      usable: [api],
    });
    const byRepo = chooseEnvironment({
      explicitRepository: "acme/secret",
      channelDefaultEnvId: "e1",
      usable: [api, web],
    });
    expect(byRepo).toMatchObject({ kind: "pick", options: [api, web] });
  });

  it("falls back to the channel default, then the team default", () => {
    expect(
      chooseEnvironment({ channelDefaultEnvId: "e3", teamDefaultEnvId: "e1", usable: [api, web] }),
    ).toEqual({
      kind: "chosen",
      environment: web,
      reason: "channel-default",
    });
    expect(chooseEnvironment({ teamDefaultEnvId: "e1", usable: [api, web] })).toMatchObject({
      environment: api,
      reason: "team-default",
    });
  });

  it("skips a default the member may not use", () => {
    expect(chooseEnvironment({ channelDefaultEnvId: "hidden", usable: [web] })).toEqual({
      kind: "chosen",
      environment: web,
      reason: "only-usable",
    });
  });

  it("takes the member's only usable environment, else asks among the usable ones", () => {
    expect(chooseEnvironment({ usable: [api] })).toMatchObject({ kind: "chosen", reason: "only-usable" });
    expect(chooseEnvironment({ usable: [api, web] })).toEqual({
      kind: "pick",
      options: [api, web],
      message: "Which environment should I use?",
    });
  });
});
