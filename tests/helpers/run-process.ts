// A second app process for the cross-process tests (node --import tsx):
//   accept <userId> <anthropicUrl> — accepts a Security Scanner run and executes it
//     here (real SDK → the fake at anthropicUrl), printing the run id first
//   boot — the server's real start-up path for runs (recovery), then exit
import { principalFromUser } from "@/lib/auth/principal";
import { acceptRun } from "@/lib/runs/accept-run";
import { startRunWorker } from "@/lib/runs/run-executor-instance";
import { scannerInput, testExecutor } from "./run-harness";

const [mode, userId, anthropicUrl] = process.argv.slice(2);

if (mode === "accept") {
  const executor = testExecutor({ anthropicUrl, leaseMs: Number(process.env.AGORA_RUN_LEASE_MS ?? 30_000) });
  const { run } = await acceptRun(await principalFromUser(userId!), { agent: "security-scanner", input: scannerInput }, { executor });
  process.stdout.write(`${run.id}\n`);
  await executor.idle();
  process.exit(0);
} else if (mode === "boot") {
  await startRunWorker();
  process.exit(0);
}
