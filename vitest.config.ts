import { defineConfig } from "vitest/config";

/**
 * Files that need a module graph of their own: one moves the clock, and two fail requests with msw's
 * `HttpResponse.error()`, which came back as an answer rather than a network error once other files' msw
 * servers had run in the same graph.
 */
const isolated = [
  "test/outbox/clients.test.ts",
  "test/tasks/http-executor.test.ts",
  "test/tasks/progress-limits.test.ts",
];
/** The built hub started as a process (crashes, restarts, metrics): run on their own, after the rest. */
const processes = ["test/process/**/*.test.ts"];
// The Workers runtime's tests run inside workerd: `npm run test:worker` (vitest.worker.config.ts).
const exclude = ["**/node_modules/**", "test/workerd/**"];
const shared = {
  environment: "node" as const,
  testTimeout: 20_000,
  hookTimeout: 30_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        // Every other file reuses the modules its worker already loaded: importing the hub's graph again for
        // each of 180 files took twice as long as running their tests. Each file still builds its own hub
        // (database, clock, msw server), so no state is shared but the modules' own constants.
        test: {
          ...shared,
          name: "shared",
          include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
          exclude: [...exclude, ...isolated, ...processes],
          isolate: false,
        },
      },
      {
        test: {
          ...shared,
          name: "isolated",
          include: isolated,
          exclude,
        },
      },
      { test: { ...shared, name: "process", include: processes, exclude } },
    ],
  },
});
