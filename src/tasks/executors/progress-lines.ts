import type { ProgressUpdate } from "./types";

// The progress channel of the command executor: the agent writes one JSON object per line on file descriptor 3
// (HUB_PROGRESS_FD), `{"step": "Running the tests"}` or `{"type": "command", "text": "npm test"}`, and each
// becomes a step of the task. Anything else on a line (not JSON, another shape, a line longer than the cap) is
// skipped and counted, so a chatty or broken agent never fails its task over it.

/** A line longer than this is skipped whole (its bytes are not kept while waiting for its end). */
export const MAX_PROGRESS_LINE_BYTES = 16 * 1024;
const maxType = 40;

export interface ProgressLineReader {
  /** Bytes as they arrive on the channel; lines may be split across chunks. */
  write(chunk: Uint8Array): void;
  /** The channel closed: a last line without its newline still counts. */
  end(): void;
  /** Lines that were not a step. */
  readonly skipped: number;
}

/** The step a line stands for, or null when it is not one. */
export function parseProgressLine(line: string): ProgressUpdate | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const { step, type, text } = value as Record<string, unknown>;
  if (typeof step === "string" && step.trim() !== "") return { type: "step", text: step.trim() };
  if (typeof type === "string" && type.trim() !== "" && typeof text === "string" && text.trim() !== "") {
    return { type: type.trim().slice(0, maxType), text: text.trim() };
  }
  return null;
}

export function createProgressLineReader(onStep: (step: ProgressUpdate) => void): ProgressLineReader {
  const decoder = new TextDecoder("utf-8");
  let line = "";
  let lineBytes = 0;
  /** The current line passed the cap: drop it up to its newline. */
  let overlong = false;
  let skipped = 0;

  const finish = () => {
    if (overlong) skipped++;
    else if (line.trim() !== "") {
      const step = parseProgressLine(line);
      if (step) onStep(step);
      else skipped++;
    }
    line = "";
    lineBytes = 0;
    overlong = false;
  };

  const take = (bytes: Uint8Array, final: boolean) => {
    if (overlong) return;
    lineBytes += bytes.length;
    if (lineBytes > MAX_PROGRESS_LINE_BYTES) {
      overlong = true;
      line = "";
      decoder.decode(); // resets the decoder's partial character
      return;
    }
    line += decoder.decode(bytes, { stream: !final });
  };

  return {
    write(chunk) {
      let start = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
        take(chunk.subarray(start, i), true);
        finish();
        start = i + 1;
      }
      if (start < chunk.length) take(chunk.subarray(start), false);
    },
    end() {
      if (!overlong) line += decoder.decode();
      finish();
    },
    get skipped() {
      return skipped;
    },
  };
}
