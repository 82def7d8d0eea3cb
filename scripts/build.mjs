// `npm run build`: bundles each entry point with esbuild into dist/ (node_modules packages stay imports, so
// dist/ runs against a production install). The source imports modules without extensions, which Node's own
// ESM loader does not resolve, so files are bundled rather than compiled one by one.
// Bundles keep their source's depth (src/runtime/ → dist/runtime/), so paths computed from import.meta.url,
// such as the migrations folder, point at the same files.
import { rmSync } from "node:fs";
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
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node22",
  sourcemap: true,
  // JSX settings come from tsconfig.json.
  logLevel: "warning",
});
console.log("Built dist/ (start it with npm start)");
