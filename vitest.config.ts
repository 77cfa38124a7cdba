import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

// Files under tests/alone/ measure responsiveness (a latency bound the issue sets), so
// they run in a second pass with nothing beside them: `VITEST_ALONE=1 vitest run`
// (npm test does both passes).
const alone = Boolean(process.env.VITEST_ALONE);

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: alone ? ["tests/alone/**/*.test.ts"] : ["tests/unit/**/*.test.ts", "tests/unit/**/*.test.tsx", "tests/integration/**/*.int.test.ts", "tests/chaos/**/*.int.test.ts"],
    globalSetup: ["tests/setup/global-database.ts"],
    setupFiles: ["tests/setup/test-env.ts"],
    testTimeout: 90_000, // generous: files share two cores three at a time; timing goals live in bench/
    hookTimeout: 120_000,
    pool: "forks",
    // Files run side by side — at least three at once, even on a 2-core machine
    // (Vitest's default there is one): each file makes its own data, and this proves it.
    maxWorkers: alone ? 1 : Math.max(3, availableParallelism() - 1),
  },
});
