// Reads a Server-Sent Events response the way EventSource does
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation), one event at a
// time, so a test can wait for the events it expects and then see the stream end.

export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

export function sseReader(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const queued: SseEvent[] = [];

  function parse(block: string): SseEvent | null {
    const event: SseEvent = { event: "message", data: "" };
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event.event = value;
      else if (field === "data") data.push(value);
      else if (field === "id") event.id = value;
    }
    if (data.length === 0) return null;
    event.data = data.join("\n");
    return event;
  }

  return {
    /** The next event, or null once the server ended the stream. */
    async next(): Promise<SseEvent | null> {
      for (;;) {
        const ready = queued.shift();
        if (ready) return ready;
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += value;
        for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
          const event = parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) queued.push(event);
        }
      }
    },
    /** Events up to and including the first that `until` accepts. */
    async until(until: (event: SseEvent) => boolean): Promise<SseEvent[]> {
      const seen: SseEvent[] = [];
      for (;;) {
        const event = await this.next();
        if (!event) throw new Error(`the stream ended after ${JSON.stringify(seen)}`);
        seen.push(event);
        if (until(event)) return seen;
      }
    },
    cancel: () => reader.cancel(),
  };
}
