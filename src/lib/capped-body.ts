/**
 * Reads a request body but never holds more than `limit` bytes, so a lying or absent Content-Length cannot
 * exhaust memory: a declared length over the limit is refused before reading, and a body without one
 * (chunked) is streamed and abandoned as soon as it passes the limit. `tooLarge` makes the error to throw.
 */
export async function readCappedBody(
  request: Request,
  limit: number,
  tooLarge: () => Error,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = declaredLength(request);
  if (declared > limit) throw tooLarge();
  // With a declared length (checked above, and enforced by the HTTP parser) the body is read in one go,
  // which on Node skips the web-stream machinery.
  if (Number.isFinite(declared)) {
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.byteLength > limit) throw tooLarge();
    return body;
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The Content-Length the client declared; NaN when it declared none. */
export function declaredLength(request: Request): number {
  return Number(request.headers.get("content-length") ?? Number.NaN);
}
