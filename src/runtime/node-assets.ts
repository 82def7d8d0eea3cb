import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { AssetLoader } from "../deps";

/**
 * Files of installed npm packages, found the way Node resolves `package/file` from here. Each is read once
 * and kept by this loader (they do not change while the hub runs); a name that leaves its package, or
 * that no package has, is null.
 */
export function nodeAssetLoader(): AssetLoader {
  const require = createRequire(import.meta.url);
  const cache = new Map<string, Promise<Uint8Array | null>>();
  const load = async (path: string): Promise<Uint8Array | null> => {
    try {
      return new Uint8Array(await readFile(require.resolve(path)));
    } catch {
      return null;
    }
  };
  return {
    read(path) {
      if (path.startsWith(".") || path.startsWith("/") || path.split("/").includes("..")) {
        return Promise.resolve(null);
      }
      let file = cache.get(path);
      if (!file) {
        file = load(path);
        cache.set(path, file);
      }
      return file;
    },
  };
}
