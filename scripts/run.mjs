// Runs one of the project's TypeScript entry points: its build in dist/ when there is one (`npm run build`),
// else the source through tsx, so `npm install && npm start` needs no build step. A production install
// (`npm ci --omit=dev`) has no tsx and must be built first.
// Usage: node scripts/run.mjs <src/… or scripts/….ts> [arguments]
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("..", import.meta.url);
const [source, ...args] = process.argv.slice(2);
if (!source?.endsWith(".ts")) {
  process.stderr.write("usage: node scripts/run.mjs <entry.ts> [arguments]\n");
  process.exit(2);
}
const built = new URL(`dist/${source.replace(/^src\//, "").replace(/\.ts$/, ".js")}`, root);
// The entry sees its own arguments as if it had been started directly.
process.argv = [process.argv[0], fileURLToPath(built), ...args];

if (existsSync(built)) {
  warnIfStale(statSync(built).mtimeMs);
  await import(built.href);
} else {
  let register;
  try {
    ({ register } = await import("tsx/esm/api"));
  } catch {
    process.stderr.write(`${fileURLToPath(built)} is missing and tsx is not installed: run npm run build.\n`);
    process.exit(1);
  }
  register();
  await import(new URL(source, root).href);
}

/** A build older than the source it came from runs old code: say so (production images carry no src/). */
function warnIfStale(builtAt) {
  const newer = (dir) =>
    existsSync(dir) &&
    readdirSync(dir, { recursive: true, withFileTypes: true }).some(
      (entry) => entry.isFile() && statSync(`${entry.parentPath}/${entry.name}`).mtimeMs > builtAt,
    );
  if (newer(fileURLToPath(new URL("src", root))))
    process.stderr.write("Note: src/ changed after the last `npm run build`; running the older build.\n");
}
