import type { TaskMode } from "../tasks/types";

// How a request picks its mode, the same on every surface: `ask:` or `code:` at the very start of what the
// person asked (after the mention of Codex). Ask mode answers without changing anything; Code mode may change
// files and open a pull request. A request without a prefix takes its environment's default.

export interface ModePrefix {
  /** The mode the prefix asks for; absent when there is none. */
  mode?: TaskMode;
  /** The request without the prefix. */
  text: string;
}

/** Reads and removes a leading `ask:` / `code:` (any case, `*ask:*` as Slack bold too). */
export function readModePrefix(text: string): ModePrefix {
  const match = /^\s*([*_]?)(ask|code)\s*:\1\s*/i.exec(text);
  if (!match) return { text };
  return { mode: (match[2] ?? "").toLowerCase() as TaskMode, text: text.slice(match[0].length) };
}

/** How to ask for the other mode, for answers that say what a mode did not do. */
export const CODE_MODE_HINT =
  "To have Codex make the change and open a pull request, ask again starting with `code:`.";
