import { fileURLToPath } from "node:url";
import madge from "madge";
import { describe, expect, it } from "vitest";

// No import cycles in src/, type-only imports included: a type-only cycle still ties two modules together
// (one cannot be read, moved or tested without the other), and it turns into a real one the day a value
// crosses it.

const root = fileURLToPath(new URL("../../", import.meta.url));
const options = { fileExtensions: ["ts", "tsx"], tsConfig: `${root}tsconfig.json` };

/** A cycle read from any of its files: rotated to start at its smallest file name. */
function canonical(cycle: string[]): string {
  const start = cycle.indexOf([...cycle].sort()[0]!);
  return [...cycle.slice(start), ...cycle.slice(0, start)].join(" > ");
}

describe("import cycles", () => {
  it("counts type-only imports", async () => {
    const result = await madge(`${root}test/architecture/fixtures/type-cycle`, options);
    expect(result.circular().map(canonical)).toEqual(["a.ts > b.ts"]);
  });

  it("finds none in src/", { timeout: 120_000 }, async () => {
    const result = await madge(`${root}src`, options);
    expect(result.circular().map(canonical)).toEqual([]);
    // The graph covers the whole source tree, so an empty answer means something.
    expect(Object.keys(result.obj()).length).toBeGreaterThan(100);
  });
});
