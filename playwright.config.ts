import { execFileSync } from "node:child_process";
import { defineConfig } from "@playwright/test";

// Browser tests against a production build (the standalone server, twice) on
// 127.0.0.1, with a fresh database in the embedded PostgreSQL (tests/e2e/server.ts). Debian's Chromium.
//
// The two instances' ports (and the mail catcher's) come from the OS (nothing collides with `npm run dev`
// or another run). The runner loads this file first and picks them; its workers
// load it again and inherit the choice through the environment.
function freePorts(n: number): number[] {
  const script = `const net=require("net");Promise.all(Array.from({length:${n}},()=>new Promise(r=>{const s=net.createServer();s.listen(0,"127.0.0.1",()=>r(s))}))).then(ss=>{console.log(ss.map(s=>s.address().port).join(","));ss.forEach(s=>s.close())})`;
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim().split(",").map(Number);
}
if (!process.env.E2E_PORT || !process.env.E2E_PORT_2 || !process.env.E2E_MAIL_PORT) {
  [process.env.E2E_PORT, process.env.E2E_PORT_2, process.env.E2E_MAIL_PORT] = freePorts(3).map(String);
}
const port = Number(process.env.E2E_PORT);
const secondPort = Number(process.env.E2E_PORT_2);
const mailPort = Number(process.env.E2E_MAIL_PORT); // the SMTP catcher's captured mail, as JSON (tests/e2e/mail.ts)

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
    command: `tsx tests/e2e/server.ts ${port} ${secondPort} ${mailPort}`,
    wait: { stdout: /e2e: both instances ready/ }, // tests/e2e/server.ts: two instances, both migrated and serving
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
  },
});
