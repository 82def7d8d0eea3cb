import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const read = (path: string) => readFileSync(`${root}/${path}`, "utf8");
const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
const build = read("scripts/build.mjs");
const dockerfile = read("Dockerfile").replace(/\\\n/g, " ");
const instructions = (name: string) =>
  dockerfile
    .split("\n")
    .filter((line) => line.startsWith(`${name} `))
    .map((line) => line.slice(name.length + 1));

/** `src/runtime/node.ts` → `runtime/node`: how scripts/build.mjs names the bundle in dist/. */
const bundleOf = (source: string) => source.replace(/^src\//, "").replace(/\.ts$/, "");

describe("packaging", () => {
  it("builds every entry that an npm script runs through scripts/run.mjs", () => {
    const entries = Object.values(scripts).flatMap(
      (command) => command.match(/(?<=run\.mjs )\S+\.ts/g) ?? [],
    );
    expect(entries).toEqual(expect.arrayContaining(["src/runtime/node.ts", "scripts/backup.ts"]));
    for (const entry of entries) {
      expect(existsSync(`${root}/${entry}`), entry).toBe(true);
      expect(build, `scripts/build.mjs bundles ${entry}`).toContain(`"${bundleOf(entry)}": "${entry}"`);
    }
  });

  it("has the Dockerfile run only npm scripts, built files and repository files that exist", () => {
    const commands = [...instructions("RUN"), ...instructions("CMD"), ...instructions("HEALTHCHECK")].join(
      "\n",
    );
    for (const [, name] of commands.matchAll(/npm run ([\w:-]+)/g))
      expect(scripts, name).toHaveProperty(name!);
    const built = [...commands.matchAll(/dist\/([\w/-]+)\.js/g)].map((m) => m[1]);
    expect(built).toContain("runtime/node");
    for (const bundle of built) expect(build).toMatch(new RegExp(`"${bundle}": "[^"]+\\.ts"`));
    // The thread entries started by src/runtime/threads.ts ship beside the main bundle.
    for (const thread of ["runtime/node-inbox", "runtime/node-background"])
      expect(build).toContain(`"${thread}"`);

    const copied = instructions("COPY")
      .filter((line) => line.startsWith("--from=build "))
      .flatMap((line) => line.split(/\s+/).slice(1, -1))
      .map((path) => path.replace(/^\/app\//, ""))
      .filter((path) => !["node_modules", "dist"].includes(path));
    expect(copied).toEqual(
      expect.arrayContaining(["migrations", "scripts/run.mjs", "scripts/demo-agent.mjs"]),
    );
    for (const path of copied) expect(existsSync(`${root}/${path}`), path).toBe(true);
  });

  it("keeps the fresh-clone check, which follows the Dockerfile without Docker, executable", () => {
    expect(statSync(`${root}/scripts/ci/fresh-clone.sh`).mode & 0o111).not.toBe(0);
  });
});
