import picomatch from "picomatch/posix.js";

// Branch and path filters use the glob dialect of GitHub's own filters: `*` stays within one path segment
// (`release/*` matches `release/1.2`, not `release/1.2/hotfix`), `**` crosses segments, `?`, `[...]` and
// `{a,b}` work as in Actions' branch filters. Matching is case-sensitive because git refs are.
// `picomatch/posix.js` keeps `\` an escape on every platform: these are git ref names and repository paths,
// never operating-system paths. (The file name is spelt out: the package has no exports map for ESM.)
const options = { dot: true } as const;

/** True when `value` matches `glob` as a whole. */
export function matchGlob(glob: string, value: string): boolean {
  return picomatch.isMatch(value, glob, options);
}
