// npm run bench:run-memory   (BENCH_RUNS=10000 BENCH_SAMPLE_EVERY=1000 BENCH_CONCURRENCY=10 BENCH_FORM=two|one)
//
// Whether the production server's memory settles (issue 18: "server RSS after
// 10,000 runs does not keep growing"). A production build (bench/prod-server.ts)
// against a fake Anthropic that answers at once takes BENCH_RUNS Security Scanner
// runs through the public API (bench/run-client.ts), BENCH_CONCURRENCY at a time;
// after every BENCH_SAMPLE_EVERY runs (the batch drained) it reads the server's RSS
// from /proc/<pid>/status. The first interval (idle → the first batch) is warm-up:
// JIT, route compilation, pools and caches filling. The verdict compares the slope
// over the last three samples with it: still growing if that slope is above
// BENCH_RSS_TOLERANCE_MB (default 2) per 1,000 runs.
import { benchApiKey, rssMb, startProductionServer } from "./prod-server";
import { benchAnthropic, benchRun, pool, type RunForm } from "./run-client";

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const EVERY = Number(process.env.BENCH_SAMPLE_EVERY ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 10);
const FORM = (process.env.BENCH_FORM ?? "two") as RunForm;
const TOLERANCE_MB = Number(process.env.BENCH_RSS_TOLERANCE_MB ?? 2);

/** MB per 1,000 runs between samples, least squares over `points` ([runs, MB]). */
function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den ? (num / den) * 1_000 : 0;
}

const { fake, env: anthropicEnv } = await benchAnthropic();
const app = await startProductionServer("agora_bench_memory", anthropicEnv);
try {
  // Past the Enterprise tier's 10,000 runs an hour: this bench's own database, its own account.
  const { getDb } = await import("../lib/db/client");
  await getDb().tier.update({ where: { code: "enterprise" }, data: { runsPerHour: 1_000_000, requestsPerMinute: 1_000_000 } });
  const headers = await benchApiKey();
  const samples: [number, number][] = [[0, rssMb(app.pid)]];
  console.log(`${RUNS} runs (${FORM === "one" ? "one request each" : "POST, then GET events"}), ${CONCURRENCY} at a time; server RSS every ${EVERY} runs`);
  console.log(`${"runs".padStart(7)}  ${"RSS MB".padStart(7)}`);
  console.log(`${"0".padStart(7)}  ${String(samples[0]![1]).padStart(7)}  (idle, before the first run)`);
  for (let done = 0; done < RUNS; ) {
    const batch = Math.min(EVERY, RUNS - done);
    await pool(batch, CONCURRENCY, () => benchRun(app.base, headers, FORM));
    done += batch;
    samples.push([done, rssMb(app.pid)]);
    console.log(`${String(done).padStart(7)}  ${String(samples.at(-1)![1]).padStart(7)}`);
  }
  if (samples.length < 4) console.log("\nToo few samples for a verdict: at least 3 after the idle one (BENCH_RUNS ≥ 3 × BENCH_SAMPLE_EVERY).");
  else {
    const warmUp = slope(samples.slice(0, 2));
    const last = slope(samples.slice(-3));
    const growing = last > TOLERANCE_MB;
    console.log(
      `\nRSS slope: ${warmUp.toFixed(1)} MB per 1,000 runs over the first interval, ${last.toFixed(1)} over the last three samples → ` +
        (growing ? `still growing (above ${TOLERANCE_MB} MB per 1,000 runs)` : `settled (at most ${TOLERANCE_MB} MB per 1,000 runs)`),
    );
  }
} catch (err) {
  // A refused or failed run ends the series: said, and the exit code says so (it was 0, with no verdict).
  console.error("\nThe series stopped:", err);
  process.exitCode = 1;
} finally {
  await app.stop();
  await fake.close();
  process.exit(process.exitCode ?? 0);
}
