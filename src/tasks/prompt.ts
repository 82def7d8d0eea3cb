import type { Task } from "./types";

// The text an agent receives: the request first, then each piece of gathered context under its own
// `# Context: <name>` heading. Strings are kept as they are (a diff inside a ```diff fence), anything else is
// shown as JSON, so the agent sees everything the surface gathered without the hub knowing each shape.

const maxContextChars = 200_000;

function looksLikeDiff(text: string): boolean {
  return /^diff --git /m.test(text) || (/^--- /m.test(text) && /^\+\+\+ /m.test(text) && /^@@ /m.test(text));
}

function renderValue(value: unknown): string {
  if (typeof value === "string")
    return looksLikeDiff(value) ? `\`\`\`diff\n${value.trimEnd()}\n\`\`\`` : value;
  return `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;
}

/** Context keys that are instructions for the hub itself, not material for the agent. */
const internalKeys = new Set(["execution", "repoPermission", "plugins"]);

export function renderPrompt(task: Pick<Task, "kind" | "title" | "prompt" | "context">): string {
  const parts = [`# Request\n\n${task.prompt.trim() || task.title}`];
  for (const [key, value] of Object.entries(task.context)) {
    if (internalKeys.has(key) || value === undefined || value === null || value === "") continue;
    parts.push(`# Context: ${key}\n\n${renderValue(value)}`);
  }
  if (task.kind === "review") {
    parts.push(
      "# Answer format\n\nAnswer with JSON only: " +
        '{ "summary": string, "findings": [ { "title", "body", "priority": 0-3, "path", "line", ' +
        '"start_line"?, "side"?: "RIGHT"|"LEFT" } ] } (priority 0 is the most severe).',
    );
  }
  const text = parts.join("\n\n");
  return text.length > maxContextChars ? `${text.slice(0, maxContextChars)}\n\n[context truncated]` : text;
}
