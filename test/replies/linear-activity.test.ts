import { describe, expect, it } from "vitest";
import {
  ELICITATION_MAX_OPTIONS,
  renderLinearAction,
  renderLinearComment,
  renderLinearDenial,
  renderLinearElicitation,
  renderLinearError,
  renderLinearOutcome,
  renderLinearResponse,
  renderLinearThought,
} from "../../src/replies/linear-activity";
import { capMarkdown, LINEAR_BODY_LIMIT } from "../../src/replies/linear-body";

const taskUrl = "https://hub.example.com/tasks/t1";
const prUrl = "https://github.com/acme/api/pull/3";

describe("Linear activities", () => {
  it("renders thoughts and actions, clipping long progress visibly", () => {
    expect(renderLinearThought("Looking at the issue")).toEqual({
      type: "thought",
      body: "Looking at the issue",
    });
    expect(renderLinearAction({ action: "Ran", parameter: "npm test", result: "3 passed" })).toEqual({
      type: "action",
      action: "Ran",
      parameter: "npm test",
      result: "3 passed",
    });
    const long = renderLinearAction({ action: "Read", parameter: "x".repeat(5000) });
    expect(long.type === "action" && long.parameter.length).toBe(1000);
    expect(long.type === "action" && long.parameter.endsWith("…")).toBe(true);
    expect(long).not.toHaveProperty("result");
  });

  it("responds with the full answer and the PR link", () => {
    const content = renderLinearResponse({ answer: "Fixed it in `auth.ts`.", taskUrl, prUrl, mode: "full" });
    expect(content.type).toBe("response");
    const body = content.type === "response" ? content.body : "";
    expect(body).toContain("Fixed it in `auth.ts`.");
    expect(body).toContain(`[Open the pull request](${prUrl})`);
    expect(body).toContain(`[View the task](${taskUrl})`);
  });

  it("responds with only the link when full answers are off", () => {
    const content = renderLinearResponse({ answer: "SECRET", taskUrl, prUrl, mode: "link" });
    expect(JSON.stringify(content)).not.toContain("SECRET");
    expect(JSON.stringify(content)).toContain(`[task page](${taskUrl})`);
    expect(JSON.stringify(content)).toContain(prUrl);
  });

  it("ends with an error saying what failed and what to do", () => {
    const content = renderLinearError(
      { what: "The checkout failed.", nextStep: "Reconnect GitHub." },
      taskUrl,
    );
    expect(content).toEqual({
      type: "error",
      body: `**What failed:** The checkout failed.\n\n**What you can do:** Reconnect GitHub.\n\n[View the task](${taskUrl})`,
    });
    expect(renderLinearOutcome({ status: "failed", taskUrl, mode: "full" }).type).toBe("error");
    expect(renderLinearOutcome({ status: "completed", taskUrl, mode: "full", answer: "ok" }).type).toBe(
      "response",
    );
    const cancelled = renderLinearOutcome({ status: "cancelled", taskUrl, mode: "full" });
    expect(cancelled.type === "response" && cancelled.body).toContain("cancelled before it finished");
  });

  it("keeps a huge answer under the cap, saying what was cut and where the rest is", () => {
    const answer = `\`\`\`\n${"code line\n".repeat(10_000)}\`\`\``;
    const content = renderLinearResponse({ answer, taskUrl, prUrl, mode: "full" });
    const body = content.type === "response" ? content.body : "";
    expect(body.length).toBeLessThanOrEqual(LINEAR_BODY_LIMIT);
    expect(body).toMatch(/Too long to show here: [\d,]+ more characters are on the \[task page\]/);
    expect((body.match(/```/g) ?? []).length % 2).toBe(0);
    expect(body.endsWith(`[View the task](${taskUrl})`)).toBe(true);
  });

  it("asks which environment, listing only the given ones and counting the rest", () => {
    const content = renderLinearElicitation({
      options: [
        { id: "e1", name: "api", repository: "acme/api" },
        { id: "e2", name: "web_app" },
      ],
    });
    expect(content.type).toBe("elicitation");
    const body = content.type === "elicitation" ? content.body : "";
    expect(body).toContain("- **api** (acme/api)");
    expect(body).toContain("- **web\\_app**");
    expect(body).toContain("Reply with the name");
    const many = renderLinearElicitation({
      options: Array.from({ length: 60 }, (_, i) => ({ id: `e${i}`, name: `env${i}` })),
      message: "No available environment matches acme/x.",
    });
    const manyBody = many.type === "elicitation" ? many.body : "";
    expect(manyBody.startsWith("No available environment matches acme/x.")).toBe(true);
    expect(manyBody.match(/^- \*\*/gm)).toHaveLength(ELICITATION_MAX_OPTIONS);
    expect(manyBody).toContain("…and 10 more");
  });

  it("denies with the reason and the next step", () => {
    expect(
      renderLinearDenial({
        reason: "You may not use Codex cloud.",
        nextStep: "Ask a workspace owner for the Codex cloud permission.",
        link: { url: "https://hub/help", label: "How access works" },
      }),
    ).toEqual({
      type: "error",
      body: "You may not use Codex cloud.\n\n**Next step:** Ask a workspace owner for the Codex cloud permission. [How access works](https://hub/help)",
    });
  });
});

describe("Linear comment replies", () => {
  it("heads the reply with the outcome and title", () => {
    const body = renderLinearComment({
      status: "completed",
      title: "Fix *login*",
      answer: "Done.",
      taskUrl,
      mode: "full",
    });
    expect(body.startsWith("✅ **Completed:** Fix \\*login\\*\n\nDone.")).toBe(true);
    const failed = renderLinearComment({
      status: "failed",
      title: "X",
      taskUrl,
      mode: "link",
      failure: { what: "Boom." },
    });
    expect(failed).toContain("**What failed:** Boom.");
    const huge = renderLinearComment({
      status: "completed",
      title: "t".repeat(500),
      answer: "a ".repeat(60_000),
      taskUrl,
      mode: "full",
    });
    expect(huge.length).toBeLessThanOrEqual(LINEAR_BODY_LIMIT);
    expect(huge.endsWith(`[View the task](${taskUrl})`)).toBe(true);
  });
});

describe("capMarkdown", () => {
  it("returns fitting text untouched and notes what it cuts otherwise", () => {
    expect(capMarkdown("short", { max: 10 })).toBe("short");
    const capped = capMarkdown(`para one\n\n${"para two ".repeat(20)}`, { max: 100 });
    expect(capped.length).toBeLessThanOrEqual(100);
    expect(capped).toMatch(/^para one\n\n---\n_Too long to show here: \d+ more characters were left out\._$/);
  });
});
