// `npm run build`: bundles each entry point with esbuild into dist/ (node_modules packages stay imports, so
// dist/ runs against a production install; drizzle-orm is the exception, see `inlined`). The source imports modules without extensions, which Node's own
// ESM loader does not resolve, so files are bundled rather than compiled one by one.
// Bundles keep their source's depth (src/runtime/ → dist/runtime/), so paths computed from import.meta.url,
// such as the migrations folder, point at the same files.
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
rmSync(`${root}/dist`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: {
    "runtime/node": "src/runtime/node.ts",
    // The worker threads' entries (started by src/runtime/threads.ts).
    "runtime/node-inbox": "src/runtime/node-inbox.ts",
    "runtime/node-background": "src/runtime/node-background.ts",
    "scripts/demo": "scripts/demo.ts",
    "scripts/backup": "scripts/backup.ts",
  },
  outdir: "dist",
  bundle: true,
  external: externals(),
  platform: "node",
  format: "esm",
  target: "node22",
  sourcemap: true,
  // Stack traces need the mappings alone; the sources' text in the maps would cost each thread that loads them
  // (NODE_OPTIONS=--enable-source-maps, see the README) about 30 MB of memory.
  sourcesContent: false,
  // JSX settings come from tsconfig.json.
  logLevel: "warning",
});
console.log("Built dist/ (start it with npm start)");

/**
 * Every dependency stays an import except drizzle-orm. Its package.json (about 180 KB, 450 export paths) is
 * parsed again by Node's ESM loader for each of the hundred-odd files of it a thread loads: about half a second
 * of CPU and 40 MB of memory at every thread's start. Bundled, it is one module. It is plain JavaScript with no
 * files of its own to find at run time (the migrations folder is the hub's).
 */
function externals() {
  const inlined = new Set(["drizzle-orm"]);
  const { dependencies } = JSON.parse(readFileSync(`${root}/package.json`, "utf8"));
  return Object.keys(dependencies)
    .filter((name) => !inlined.has(name))
    .flatMap((name) => [name, `${name}/*`]);
}
