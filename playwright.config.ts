import { defineConfig } from "@playwright/test";

// Browser tests against a production build (the standalone server, twice) on
// 127.0.0.1, with a fresh database in the embedded PostgreSQL (tests/e2e/server.ts). Debian's Chromium.
const port = Number(process.env.E2E_PORT ?? 3107);

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: `tsx tests/e2e/server.ts ${port}`,
    wait: { stdout: /e2e: both instances ready/ }, // tests/e2e/server.ts: two instances, both migrated and serving
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
