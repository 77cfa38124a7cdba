import { defineConfig } from "@playwright/test";
import e2e from "./playwright.config";

// `npm run screenshots`: the README's pictures (docs/screenshots/*.png), taken by tests/screenshots/ against the
// e2e setup (the same production build, servers and fresh database as playwright.config.ts, E2E_SKIP_BUILD included).
// A config of its own so the default e2e run (`npx playwright test`, tests/e2e) never rewrites committed files.
export default defineConfig({
  ...e2e,
  testDir: "tests/screenshots",
  timeout: 180_000,
  use: { ...e2e.use, viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, reducedMotion: "reduce" },
});
