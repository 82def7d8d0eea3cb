// Named host lists an environment's internet allowlist may include by name ("an allowlist for common software
// dependency domains"). This file is their one source: the admin API, the console, the explain API and the
// egress proxy all read these lists, so changing a preset here changes it for every environment that names it.
// Entries follow the allowlist's matching rule (access/internet.ts): a plain name is that host only,
// `*.example.com` is every subdomain of example.com.

export interface InternetPreset {
  label: string;
  description: string;
  domains: readonly string[];
}

const commonDependencies: InternetPreset = {
  label: "Common dependencies",
  description:
    "Package registries and mirrors: npm, PyPI, crates.io, the Go module proxy, Maven Central (and Gradle), " +
    "RubyGems, Debian and Ubuntu archives, GitHub.",
  domains: [
    // npm (and Yarn's mirror of it; Node.js releases for version managers)
    "registry.npmjs.org",
    "registry.yarnpkg.com",
    "repo.yarnpkg.com",
    "nodejs.org",
    // PyPI: the index and the files it links to
    "pypi.org",
    "pypi.python.org",
    "files.pythonhosted.org",
    // crates.io (sparse index and downloads) and rustup's toolchains
    "crates.io",
    "index.crates.io",
    "static.crates.io",
    "static.rust-lang.org",
    // Go: the module proxy and the checksum database
    "proxy.golang.org",
    "sum.golang.org",
    // Maven Central, and Gradle's plugin portal and distributions
    "repo.maven.apache.org",
    "repo1.maven.org",
    "plugins.gradle.org",
    "services.gradle.org",
    "downloads.gradle.org",
    // RubyGems (Bundler's compact index lives on index.rubygems.org)
    "rubygems.org",
    "index.rubygems.org",
    // Debian and Ubuntu archives (country mirrors such as us.archive.ubuntu.com)
    "deb.debian.org",
    "security.debian.org",
    "archive.ubuntu.com",
    "*.archive.ubuntu.com",
    "security.ubuntu.com",
    "ports.ubuntu.com",
    // GitHub: clones, the API, archives, raw files and release downloads
    "github.com",
    "api.github.com",
    "codeload.github.com",
    "raw.githubusercontent.com",
    "objects.githubusercontent.com",
    "release-assets.githubusercontent.com",
  ],
};

export const INTERNET_PRESETS = {
  "common-dependencies": commonDependencies,
} as const satisfies Record<string, InternetPreset>;

export type InternetPresetName = keyof typeof INTERNET_PRESETS;

export const INTERNET_PRESET_NAMES = Object.keys(INTERNET_PRESETS) as [
  InternetPresetName,
  ...InternetPresetName[],
];
