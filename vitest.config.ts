import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    // The Workers runtime's tests run inside workerd: `npm run test:worker` (vitest.worker.config.ts).
    exclude: ["**/node_modules/**", "test/workerd/**"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
