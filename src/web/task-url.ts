import type { Deps } from "../deps";

/** The task page every "link" reply and notice points to. */
export function taskUrl(deps: Pick<Deps, "config">, taskId: string): string {
  return `${deps.config.publicUrl}/tasks/${encodeURIComponent(taskId)}`;
}
