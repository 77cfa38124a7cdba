// A second app process for the cross-process tests (node --import tsx):
//   accept <userId> <anthropicUrl> — accepts a Security Scanner run and executes it
//     here (real SDK → the fake at anthropicUrl), printing the run id first; a cancel
//     signal from another process stops it, as in the server
//   shutdown <userId> — the server's own run engine (role all, ANTHROPIC_* from the
//     environment): accepts 5 runs, prints "ids:" and their ids, and waits for SIGTERM, handled by the
//     server's real graceful shutdown (GRACE_MS); prints how a run offered after the signal was refused
//   worker — a worker-only process (the server's run worker, role worker), prints "ready"
//   metered <userId> — runs 3 runs to the end (the offline model) in a METERED workspace,
//     prints their ids and stays up, its background jobs never started: it dies (SIGKILL)
//     with their meter events pending
//   outbox <workspaceId> — the server's real worker start-up (its background jobs drain the
//     Outbox; STRIPE_* from the environment) until that workspace has nothing left to send,
//     then a graceful stop and exit 0
import { principalFromUser } from "@/lib/auth/principal";
import { acceptRun } from "@/lib/runs/accept-run";
import { drainRunWorker, runExecutor, startRunWorker, stopRunWorker } from "@/lib/runs/run-executor-instance";
import { getDb } from "@/lib/db/client";
import { runNotifications } from "@/lib/runs/run-notifications";
import { installShutdownHandlers } from "@/lib/runs/shutdown";
import { runToEnd, scannerInput, testExecutor } from "./run-harness";

const [mode, userId, anthropicUrl] = process.argv.slice(2);

if (mode === "accept") {
  const executor = testExecutor({ anthropicUrl, leaseMs: Number(process.env.AGORA_RUN_LEASE_MS ?? 30_000) });
  await runNotifications().onCancel((runId) => executor.cancelLocal(runId));
  const { run } = await acceptRun(await principalFromUser(userId!), { agent: "security-scanner", input: scannerInput }, { executor });
  process.stdout.write(`${run.id}\n`);
  await executor.settled();
  process.exit(0);
} else if (mode === "shutdown") {
  // The server's own engine (ANTHROPIC_* from the environment), role `all`.
  await startRunWorker("all");
  const executor = runExecutor();
  const principal = await principalFromUser(userId!);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await acceptRun(principal, { agent: "security-scanner", input: scannerInput }, { executor })).run.id);
  installShutdownHandlers({ drain: drainRunWorker }, stopRunWorker, Number(process.env.GRACE_MS ?? 1_000));
  process.on("SIGTERM", () =>
    setImmediate(() => void acceptRun(principal, { agent: "security-scanner", input: scannerInput }, { executor }).then(() => process.stdout.write("accepted\n"), (e: { code?: string }) => process.stdout.write(`refused:${e.code}\n`))),
  );
  process.stdout.write(`ids:${ids.join(",")}\n`);
  setInterval(() => undefined, 60_000); // alive until the signal
} else if (mode === "worker") {
  // A worker-only process, as `npm run worker` starts it (ANTHROPIC_* from the environment).
  await startRunWorker("worker");
  installShutdownHandlers({ drain: drainRunWorker }, stopRunWorker, Number(process.env.GRACE_MS ?? 1_000));
  process.stdout.write("ready\n");
  setInterval(() => undefined, 60_000); // alive until a signal
} else if (mode === "metered") {
  const executor = testExecutor();
  const principal = await principalFromUser(userId!);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await runToEnd(executor, principal)).run.id);
  process.stdout.write(`${ids.join(",")}\n`);
  setInterval(() => undefined, 60_000); // alive until killed
} else if (mode === "outbox") {
  const workspaceId = userId!;
  await startRunWorker("worker");
  const deadline = Date.now() + 50_000;
  while ((await getDb().outbox.count({ where: { workspaceId, sentAt: null } })) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await stopRunWorker();
  process.exit((await getDb().outbox.count({ where: { workspaceId, sentAt: null } })) === 0 ? 0 : 1);
}
