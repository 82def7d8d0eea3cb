import { describe, expect, it } from "vitest";
import { gistOf, plainLine } from "../../src/replies/slack-plain";
import { progressStep, renderTaskStatus, type TaskStatusView } from "../../src/replies/slack-status";
import { type SlackMessage, validateSlackMessage } from "../../src/replies/slack-types";

const base = { taskId: "t1", taskUrl: "https://hub/tasks/t1", environmentName: "api" };
const status = (view: TaskStatusView) => renderTaskStatus({ ...base, view });
const shown = (message: SlackMessage) =>
  message.blocks
    .flatMap((b) =>
      b.type === "section" ? [b.text.text] : b.type === "context" ? b.elements.map((e) => e.text) : [],
    )
    .join("\n");
const actions = (message: SlackMessage) => message.blocks.filter((b) => b.type === "actions");

describe("the task's status message", () => {
  it("while working: where, the task link, the latest step and the Cancel button", () => {
    const message = status({
      state: "working",
      step: progressStep({ type: "command", text: "$ npm test" }, "full"),
    });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(shown(message)).toBe(
      "👀 Working on it in *api*. Follow along on the <https://hub/tasks/t1|task page>.\n⏳ Ran `npm test`",
    );
    expect(actions(message)).toHaveLength(1);
    expect(message.text).toBe(
      "👀 Working on it in api. Now: Ran npm test. Follow along: https://hub/tasks/t1",
    );
  });

  it.each<[TaskStatusView, string, string]>([
    [{ state: "completed" }, "✅ Done in *api* · <https://hub/tasks/t1|task page>", "✅ Done in api."],
    [
      { state: "failed", reason: "The clone failed: *403*\n  at git fetch" },
      "❌ Failed in *api*: The clone failed: 403 · <https://hub/tasks/t1|task page>",
      "❌ Failed in api: The clone failed: 403",
    ],
    [
      { state: "cancelled", byUserId: "U0ADA" },
      "🚫 Cancelled by <@U0ADA> in *api* · <https://hub/tasks/t1|task page>",
      "🚫 Cancelled by <@U0ADA> in api.",
    ],
    [
      { state: "cancelled", byUserId: null },
      "🚫 Cancelled by an admin in *api* · <https://hub/tasks/t1|task page>",
      "🚫 Cancelled by an admin in api.",
    ],
  ])("once ended (%j): one line, no button", (view, line, text) => {
    const message = status(view);
    expect(validateSlackMessage(message)).toEqual([]);
    expect(shown(message)).toBe(line);
    expect(message.text).toBe(text);
    expect(actions(message)).toEqual([]);
  });
});

describe("a step as the status message shows it", () => {
  it.each([
    [{ type: "command", text: "$ rg `TODO` src" }, "Ran `rg 'TODO' src`", "Running commands"],
    [
      { type: "file_change", text: "changed src/a.ts (update), b.ts (add)" },
      "Edited src/a.ts (update), b.ts (add)",
      "Editing files",
    ],
    [
      { type: "thought", text: "**Checking** the <login> flow\nmore" },
      "Thinking: Checking the &lt;login&gt; flow",
      "Thinking",
    ],
    [
      { type: "web_search", text: "vitest fake timers" },
      "Searched the web for `vitest fake timers`",
      "Searching the web",
    ],
    [
      { type: "plan", text: "[x] read\n[ ] fix\n[ ] test" },
      "Plan: 1 of 3 steps done; next: fix",
      "Plan: 1 of 3 steps done",
    ],
    [{ type: "status", text: "Checked out acme/api." }, "Checked out acme/api.", "Working"],
  ])("%j", (event, full, kind) => {
    expect(progressStep(event, "full").mrkdwn).toBe(full);
    expect(progressStep(event, "kind").mrkdwn).toBe(kind);
  });
});

describe("plain text for notification previews", () => {
  it("drops the markup and keeps the words, links by their label", () => {
    expect(plainLine("## **Fixed** the `login()` [redirect](https://x.io/a) & <https://y.io|docs>")).toBe(
      "Fixed the login() redirect &amp; docs",
    );
    expect(plainLine("snake_case_name stays")).toBe("snake_case_name stays");
  });

  it("takes an answer's first paragraph, skipping headings and code", () => {
    expect(
      gistOf("# Result\n\n```sh\nnpm test\n```\n\nThe test was flaky\nbecause of timing.\n\nMore."),
    ).toBe("The test was flaky because of timing.");
    expect(gistOf("# Only a heading")).toBe("Only a heading");
    expect(gistOf("  \n")).toBe("");
  });
});
