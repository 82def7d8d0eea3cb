// A deliberately small glob matcher for branch names and paths. Only three tokens are special:
//   `*`  any run of characters except `/` (one path segment, e.g. `release/*` matches `release/1.2`)
//   `**` any run of characters including `/` (`release/**` matches `release/1.2/hotfix`)
//   `?`  exactly one character except `/`
// Everything else matches itself, case-sensitively (git refs are case-sensitive).

// Globs come from repository settings, so there are few distinct ones; the cap only guards against misuse.
const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 512;

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** Compiles a glob into an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  const hit = cache.get(glob);
  if (hit) return hit;
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        // `**/` also matches zero directories, so `**/main` matches plain `main`.
        if (glob[i + 2] === "/") {
          source += "(?:.*/)?";
          i += 2;
        } else {
          source += ".*";
          i += 1;
        }
      } else {
        source += "[^/]*";
      }
    } else if (ch === "?") {
      source += "[^/]";
    } else {
      source += escapeRegExp(ch);
    }
  }
  const re = new RegExp(`^${source}$`);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(glob, re);
  return re;
}

/** True when `value` matches `glob` as a whole. */
export function matchGlob(glob: string, value: string): boolean {
  return globToRegExp(glob).test(value);
}
