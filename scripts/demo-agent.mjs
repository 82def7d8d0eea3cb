#!/usr/bin/env node
// DEMO AGENT: an offline stand-in for Codex, so the hub can be tried end to end without any account.
// It is the default HUB_EXECUTOR_COMMAND in sandbox mode. It does not write code: it reads the prompt the hub
// sends on stdin and prints an answer that shows what it was given.
//   TASK_KIND=task   → a short Markdown answer restating the request and the context it received.
//   TASK_KIND=review → findings JSON (DESIGN.md §3), derived from the diff in the prompt: added lines that
//                      leave debug output (console.log, debugger) or a TODO/FIXME are flagged.
// It reports its steps the way any agent run by the command executor may: one JSON line per step on the file
// descriptor named by HUB_PROGRESS_FD (3), when that descriptor is open.
// Optional: DEMO_AGENT_DELAY_MS pauses before answering (to watch a task run; the steps are spread over it);
//           DEMO_AGENT_RUN_LOG names a file that gets one line per run (used by tests to count runs).
// No dependencies; Node built-ins only.

import { appendFileSync, fstatSync, writeSync } from "node:fs";

const kind = process.env.TASK_KIND === "review" ? "review" : "task";
const taskId = process.env.TASK_ID ?? "unknown";

if (process.env.DEMO_AGENT_RUN_LOG) appendFileSync(process.env.DEMO_AGENT_RUN_LOG, `${taskId}\n`);

/** The progress channel, when the hub opened one (run by hand, the agent just does not report steps). */
const progressFd = (() => {
  const fd = Number(process.env.HUB_PROGRESS_FD ?? 3);
  if (!Number.isInteger(fd) || fd < 3) return null;
  try {
    fstatSync(fd);
    return fd;
  } catch {
    return null;
  }
})();

function step(text) {
  if (progressFd === null) return;
  try {
    writeSync(progressFd, `${JSON.stringify({ step: text })}\n`);
  } catch {
    // The hub stopped listening; the answer still matters.
  }
}

const delay = Number(process.env.DEMO_AGENT_DELAY_MS ?? 0);
const pause = () => (delay > 0 ? new Promise((resolve) => setTimeout(resolve, delay / 2)) : null);

step("Reading the request");
let input = "";
for await (const chunk of process.stdin) input += chunk;
await pause();
step(kind === "review" ? "Looking through the diff" : "Writing the answer");
await pause();

/** Splits the hub's prompt into `# Heading` sections: Request, Context: <name>, Answer format. */
function sections(text) {
  const out = new Map();
  let current = "Request";
  for (const line of text.split("\n")) {
    const heading = /^# (.+)$/.exec(line);
    if (heading) {
      current = heading[1].trim();
      out.set(current, "");
    } else {
      out.set(current, `${out.get(current) ?? ""}${line}\n`);
    }
  }
  for (const [key, value] of out) out.set(key, value.trim());
  return out;
}

/** Added lines of a unified diff, with the file path and their line number in the new version. */
function addedLines(text) {
  const lines = [];
  let path = null;
  let line = 0;
  for (const raw of text.split("\n")) {
    const file = /^\+\+\+ (?:b\/)?(.+)$/.exec(raw);
    if (file) {
      path = file[1] === "/dev/null" ? null : file[1].trim();
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(raw);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (!path || line === 0 || raw.startsWith("---")) continue;
    if (raw.startsWith("+")) {
      lines.push({ path, line, text: raw.slice(1) });
      line++;
    } else if (raw.startsWith(" ")) {
      line++;
    }
  }
  return lines;
}

function review(text) {
  const findings = [];
  for (const added of addedLines(text)) {
    if (findings.length >= 2) break;
    if (/\bconsole\.log\(|\bdebugger\b/.test(added.text)) {
      findings.push({
        title: "Debug output left in the change",
        body: `\`${added.text.trim()}\` looks like debugging output. Remove it or use the project's logger.`,
        priority: 1,
        path: added.path,
        line: added.line,
        start_line: null,
        side: "RIGHT",
      });
    } else if (/\b(TODO|FIXME)\b/.test(added.text)) {
      findings.push({
        title: "Unfinished work marked in the change",
        body: `\`${added.text.trim()}\` leaves work for later. Finish it, or link an issue that tracks it.`,
        priority: 2,
        path: added.path,
        line: added.line,
        start_line: null,
        side: "RIGHT",
      });
    }
  }
  const files = new Set(addedLines(text).map((l) => l.path));
  const summary =
    files.size === 0
      ? "Demo review: no diff was included in the request, so there was nothing to check."
      : findings.length === 0
        ? `Demo review of ${files.size} file(s): no debug output or TODO markers in the added lines.`
        : `Demo review of ${files.size} file(s): ${findings.length} thing(s) to look at in the added lines.`;
  return JSON.stringify({ summary, findings }, null, 2);
}

function answer(text) {
  const parts = sections(text);
  const request = (parts.get("Request") ?? "").trim();
  const context = [...parts.keys()].filter((k) => k.startsWith("Context: "));
  const quoted = request
    .split("\n")
    .slice(0, 6)
    .map((l) => `> ${l}`)
    .join("\n");
  const seen = context.map((key) => {
    const body = parts.get(key) ?? "";
    const lines = body.split("\n").filter((l) => l.trim() !== "").length;
    return `- **${key.slice("Context: ".length)}**: ${lines} line(s)`;
  });
  return [
    "**Demo agent** (an offline stand-in for Codex; configure `HUB_EXECUTOR` to use a real agent).",
    "",
    "You asked:",
    "",
    quoted || "> (an empty request)",
    "",
    seen.length
      ? `I read the request together with this context:\n\n${seen.join("\n")}`
      : "No other context came with it.",
    "",
    "A real agent would now work in the environment's repository and report what it changed.",
  ].join("\n");
}

process.stdout.write(`${kind === "review" ? review(input) : answer(input)}\n`);
