import { describe, expect, it } from "vitest";
import { agentsMdPathsFor, extractCodeReviewRules, resolveReviewRules } from "../../src/routing/agents-md";

const rootAgents = `# Contributing

Use pnpm.

## Code Review Rules

- Flag any use of \`any\` in exported types.
- Database access goes through the repository layer.

### Severity

Security issues are P0.

## Testing

Run the suite before pushing.
`;

const apiAgents = `# API package

## code review rules
- Every route validates input with zod.
`;

const webAgents = `# Web

## Style
Tailwind only.
`;

describe("extractCodeReviewRules", () => {
  it("takes the section up to the next heading of the same or higher level, keeping subsections", () => {
    expect(extractCodeReviewRules(rootAgents)).toBe(
      "- Flag any use of `any` in exported types.\n- Database access goes through the repository layer.\n\n### Severity\n\nSecurity issues are P0.",
    );
  });

  it("matches the heading case-insensitively and runs to the end of the file", () => {
    expect(extractCodeReviewRules(apiAgents)).toBe("- Every route validates input with zod.");
  });

  it("returns null when the section is missing or empty", () => {
    expect(extractCodeReviewRules(webAgents)).toBeNull();
    expect(extractCodeReviewRules("## Code Review Rules\n\n## Next\ntext")).toBeNull();
  });

  it("ignores headings inside code fences", () => {
    const md = "## Code Review Rules\n- Check SQL.\n```md\n## Not a heading\n```\n- Check logs.\n# End\nx";
    expect(extractCodeReviewRules(md)).toBe("- Check SQL.\n```md\n## Not a heading\n```\n- Check logs.");
    expect(extractCodeReviewRules("```\n## Code Review Rules\n- fake\n```")).toBeNull();
  });

  it("accepts closing hashes and CRLF line endings", () => {
    expect(extractCodeReviewRules("## Code Review Rules ##\r\n- one\r\n## Other\r\n")).toBe("- one");
  });
});

describe("agentsMdPathsFor", () => {
  it("lists every ancestor directory's AGENTS.md once, root first", () => {
    expect(
      agentsMdPathsFor(["packages/api/src/routes/users.ts", "packages/web/app.tsx", "README.md"]),
    ).toEqual([
      "AGENTS.md",
      "packages/AGENTS.md",
      "packages/api/AGENTS.md",
      "packages/web/AGENTS.md",
      "packages/api/src/AGENTS.md",
      "packages/api/src/routes/AGENTS.md",
    ]);
  });
});

describe("resolveReviewRules: nearest AGENTS.md with rules wins", () => {
  const files = {
    "AGENTS.md": rootAgents,
    "packages/api/AGENTS.md": apiAgents,
    "packages/web/AGENTS.md": webAgents,
  };
  const changed = [
    "packages/api/src/routes/users.ts",
    "packages/api/package.json",
    "packages/web/app.tsx",
    "README.md",
  ];

  it("a nested AGENTS.md overrides the root for files under it", () => {
    const { ruleSets, unruled } = resolveReviewRules(changed, files);
    expect(unruled).toEqual([]);
    expect(ruleSets.map((r) => [r.agentsPath, r.files])).toEqual([
      ["AGENTS.md", ["packages/web/app.tsx", "README.md"]],
      ["packages/api/AGENTS.md", ["packages/api/src/routes/users.ts", "packages/api/package.json"]],
    ]);
    expect(ruleSets[1]?.rules).toBe("- Every route validates input with zod.");
  });

  it("an AGENTS.md without the section does not hide its parent's rules", () => {
    const { ruleSets } = resolveReviewRules(["packages/web/app.tsx"], files);
    expect(ruleSets).toHaveLength(1);
    expect(ruleSets[0]?.agentsPath).toBe("AGENTS.md");
  });

  it("files with no governing rules are reported, and a Map works too", () => {
    const only = new Map([["packages/api/AGENTS.md", apiAgents]]);
    const { ruleSets, unruled } = resolveReviewRules(["./packages/api/index.ts", "docs/intro.md"], only);
    expect(ruleSets).toEqual([
      {
        agentsPath: "packages/api/AGENTS.md",
        rules: "- Every route validates input with zod.",
        files: ["./packages/api/index.ts"],
      },
    ]);
    expect(unruled).toEqual(["docs/intro.md"]);
  });

  it("a sibling directory's AGENTS.md never applies", () => {
    const { ruleSets, unruled } = resolveReviewRules(["packages/apiv2/x.ts"], {
      "packages/api/AGENTS.md": apiAgents,
    });
    expect(ruleSets).toEqual([]);
    expect(unruled).toEqual(["packages/apiv2/x.ts"]);
  });
});
