import { describe, expect, it } from "vitest";
import {
  actionId,
  parseActionId,
  renderCancelRefused,
  renderCancelTaskButton,
  renderConfirmPrompt,
  renderEnvironmentPicker,
  renderNotYourButton,
} from "../../src/replies/slack-interactive";
import { renderDenial } from "../../src/replies/slack-messages";
import type { ActionsBlock, ButtonElement, SlackMessage } from "../../src/replies/slack-types";
import { validateSlackMessage } from "../../src/replies/slack-types";

function buttons(message: SlackMessage): ButtonElement[] {
  return message.blocks.filter((b): b is ActionsBlock => b.type === "actions").flatMap((b) => b.elements);
}

const envs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `env_${i}`, name: `Environment ${i}` }));

describe("action ids", () => {
  it("round-trip and reject foreign ids", () => {
    expect(parseActionId(actionId("env", "env_1"))).toEqual({ verb: "env", ref: "env_1" });
    expect(parseActionId(actionId("cancel-task", "t:1"))).toEqual({ verb: "cancel-task", ref: "t:1" });
    expect(parseActionId("codex:explode:x")).toBeNull();
    expect(parseActionId("someone_else")).toBeNull();
    expect(() => actionId("env", "x".repeat(300))).toThrow(RangeError);
  });
});

describe("renderEnvironmentPicker", () => {
  it("offers one button per environment, carrying its id, five per row", () => {
    const message = renderEnvironmentPicker({ requestRef: "req_1", options: envs(7) });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(message.response_type).toBe("ephemeral");
    const rows = message.blocks.filter((b): b is ActionsBlock => b.type === "actions");
    expect(rows.map((r) => r.elements.length)).toEqual([5, 2]);
    const all = buttons(message);
    expect(all.map((b) => parseActionId(b.action_id)?.ref)).toEqual(envs(7).map((e) => e.id));
    expect(all.every((b) => b.value === "req_1")).toBe(true);
    expect(all[0]?.text.text).toBe("Environment 0");
  });

  it("shows at most 25 and says how to reach the others", () => {
    const message = renderEnvironmentPicker({ requestRef: "r", options: envs(31) });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(buttons(message)).toHaveLength(25);
    const context = message.blocks.find((b) => b.type === "context");
    expect(JSON.stringify(context)).toContain("6 more environments are not shown");
    expect(JSON.stringify(context)).toContain("env:<name>");
  });

  it("cuts long names visibly to fit a button", () => {
    const message = renderEnvironmentPicker({
      requestRef: "r",
      options: [{ id: "e", name: "n".repeat(120) }],
    });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(buttons(message)[0]?.text.text.endsWith("…")).toBe(true);
  });

  it("shows the question it was given", () => {
    const message = renderEnvironmentPicker({
      requestRef: "r",
      options: envs(2),
      message: "No environment for a/b. Which one?",
    });
    expect(JSON.stringify(message.blocks[0])).toContain("No environment for a/b. Which one?");
  });
});

describe("confirm prompt and cancel button", () => {
  it("asks to confirm a write with confirm and decline buttons", () => {
    const message = renderConfirmPrompt({
      confirmRef: "c1",
      appName: "GitHub",
      summary: "open a pull request on acme/api",
    });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(JSON.stringify(message.blocks[0])).toContain("open a pull request on acme/api");
    expect(buttons(message).map((b) => parseActionId(b.action_id))).toEqual([
      { verb: "confirm", ref: "c1" },
      { verb: "decline", ref: "c1" },
    ]);
  });

  it("makes a cancel button with a confirmation dialog", () => {
    const button = renderCancelTaskButton("t1");
    expect(parseActionId(button.action_id)).toEqual({ verb: "cancel-task", ref: "t1" });
    expect(button.style).toBe("danger");
    expect(button.confirm?.title.text).toBe("Cancel this task?");
  });

  it("refuses other people's presses, privately", () => {
    const message = renderNotYourButton();
    expect(message.response_type).toBe("ephemeral");
    expect(message.text).toMatch(/Only the person who asked/);
  });

  it("tells someone who may not cancel who can", () => {
    expect(renderCancelRefused("U0MAX")).toMatchObject({
      response_type: "ephemeral",
      text: "Only <@U0MAX>, who asked for it, or a workspace owner or Codex Admin can cancel this task.",
    });
    expect(renderCancelRefused(null).text).toMatch(/^Only the person who asked for it or a workspace owner/);
  });
});

describe("denials", () => {
  it("gives the reason and the next step, ephemerally, with a link button when there is one", () => {
    const message = renderDenial({
      reason: "Your GitHub account is not connected.",
      nextStep: "Connect GitHub, then mention me again.",
      link: { url: "https://hub/connect/github", label: "Connect GitHub" },
    });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(message.response_type).toBe("ephemeral");
    const section = JSON.stringify(message.blocks[0]);
    expect(section).toContain("Your GitHub account is not connected.");
    expect(section).toContain("*Next step:* Connect GitHub, then mention me again.");
    expect(buttons(message)[0]?.url).toBe("https://hub/connect/github");
    expect(message.text).toContain("https://hub/connect/github");
  });
});
