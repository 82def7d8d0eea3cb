/**
 * The one place ids are made. A short prefix tells what an id names when it shows up in a log or a link
 * (`tsk_…` is a task, `evt_…` an inbox event); the rest is a random UUID without dashes.
 */
export function newId(prefix: string): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "")}`;
}
