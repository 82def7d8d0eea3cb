import type { IndexedSnapshot, MemberEntry } from "../../../access/snapshot-index";
import type { Deps } from "../../../deps";
import { escapeMrkdwn } from "../../../replies/markdown-slack";
import type { SlackMessage } from "../../../replies/slack-types";
import type { PermissionLevel, SlashCommand } from "../../../routing/slash-types";
import { textMessage } from "../outbound";

// What every `/codex` handler gets: who asked (member, level) in which workspace and channel, and how to
// phrase the answer. Answers are ephemeral: only the person who ran the command sees them.

export interface CommandContext {
  /** Deps whose Slack client speaks for the caller's team. */
  deps: Deps;
  workspaceId: string;
  snapshot: IndexedSnapshot;
  memberId: string | null;
  entry: MemberEntry | undefined;
  level: PermissionLevel | null;
  slack: { teamId: string; enterpriseId: string | null; userId: string; channelId: string };
  /** How changes name the caller in the audit log. */
  actor: string;
}

export interface CommandReply {
  message: SlackMessage;
  /** One sentence for the inbox row's outcome. */
  outcome: string;
}

export type Handler<K extends SlashCommand["kind"]> = (
  ctx: CommandContext,
  command: Extract<SlashCommand, { kind: K }>,
) => Promise<CommandReply>;

export const reply = (text: string, outcome: string): CommandReply => ({
  message: textMessage(text),
  outcome,
});

/** `value` shown as code, safe inside mrkdwn. */
export const code = (value: unknown): string => `\`${escapeMrkdwn(String(value)).replace(/`/g, "'")}\``;

export const onOff = (value: boolean): string => (value ? "on" : "off");

/** The line every change answers with: what changed, from what, to what. */
export function changed(what: string, before: unknown, after: unknown): string {
  return `✅ ${what}: ${code(before)} → ${code(after)}`;
}

/** The same value before and after: nothing was written, nothing audited. */
export function unchanged(what: string, value: unknown): string {
  return `${what} is already ${code(value)}; nothing changed.`;
}

/** Case-insensitive match on a name (or id) among items. */
export function byName<T extends { id: string; name: string }>(
  items: readonly T[],
  wanted: string,
): T | undefined {
  const w = wanted.trim().toLowerCase();
  return items.find((i) => i.id === wanted.trim()) ?? items.find((i) => i.name.trim().toLowerCase() === w);
}

export const esc = escapeMrkdwn;
