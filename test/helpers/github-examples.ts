import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

interface Definition {
  name: string;
  examples: Record<string, unknown>[];
}

const definitions = require("@octokit/webhooks-examples/api.github.com/index.json") as Definition[];

/** A real GitHub payload from @octokit/webhooks-examples, by event name and action (deep-copied). */
export function githubExample(name: string, action?: string, index = 0): Record<string, any> {
  const def = definitions.find((d) => d.name === name);
  const matches = (def?.examples ?? []).filter((e) => action === undefined || e.action === action);
  const example = matches[index];
  if (!example) throw new Error(`no @octokit/webhooks-examples payload for ${name}.${action}`);
  return structuredClone(example) as Record<string, any>;
}
