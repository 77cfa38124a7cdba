// What the run benchmarks share: a fake Anthropic that answers the Security
// Scanner's one turn at once, one run end to end through the public API
// (POST /api/v1/runs, then its SSE stream to the closing `usage` event — or both in
// one request), a pool that keeps `concurrency` of them going, and an open loop that
// starts them at a fixed rate.
import { type FakeAnthropic, startFakeAnthropic } from "../tests/fakes/anthropic-server";

export const benchRunInput = { files: [{ path: "app.py", content: "print('hello')\n" }] };

/** The fake Anthropic, scripted with the Security Scanner's answer, and the server environment pointing at it. */
export async function benchAnthropic(): Promise<{ fake: FakeAnthropic; env: Record<string, string> }> {
  const fake = await startFakeAnthropic();
  const answer = JSON.stringify({ summary: "No findings.", counts: { critical: 0, high: 0, medium: 0, low: 0 }, findings: [] });
  fake.script({ kind: "message", blocks: [{ type: "text", text: answer }], usage: { input: 900, output: 40 } });
  return { fake, env: { ANTHROPIC_API_KEY: "sk-ant-bench-not-real", ANTHROPIC_BASE_URL: fake.url } };
}

/**
 * How a client runs: "two" requests (POST /api/v1/runs, then GET its /events) or
 * "one" (POST with "stream": true: the events in the POST's own response).
 */
export type RunForm = "two" | "one";

/**
 * One run (Security Scanner unless `run` names another agent and input), created and followed to its end: its id, the POST's
 * time (the one-request form: until its response headers) and the whole time, in ms.
 */
export async function benchRun(base: string, headers: Record<string, string>, form: RunForm = "two", run: { agent: string; input: unknown } = { agent: "security-scanner", input: benchRunInput }): Promise<{ id: string; postMs: number; ms: number }> {
  const started = performance.now();
  // A run that never ends (stuck in the queue, a dead worker) fails the bench instead of hanging it.
  const signal = AbortSignal.timeout(120_000);
  const body = JSON.stringify({ ...run, ...(form === "one" && { stream: true }) });
  const created = await fetch(`${base}/api/v1/runs`, { method: "POST", headers, body, signal });
  if (created.status !== (form === "one" ? 200 : 201)) throw new Error(`POST /runs → ${created.status}: ${await created.text()}`);
  const id = form === "one" ? created.headers.get("agora-run-id")! : ((await created.json()) as { id: string }).id;
  const postMs = performance.now() - started;
  const events = form === "one" ? created : await fetch(`${base}/api/v1/runs/${id}/events`, { headers, signal });
  const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
    if (text.includes("event: usage")) break;
  }
  await reader.cancel();
  const ms = performance.now() - started;
  if (!text.includes('"status":"SUCCEEDED"')) throw new Error(`run ${id} did not succeed:\n${text.slice(-500)}`);
  return { id, postMs, ms };
}

/** `n` tasks, `concurrency` at a time; their results in the order they ended. */
export async function pool<T>(n: number, concurrency: number, task: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        out.push(await task());
      }
    }),
  );
  return out;
}

/**
 * An open loop: starts `task` `rate` times a second for `seconds` on a timer, whatever
 * the tasks in flight do (the offered rate does not fall as latency grows), at most
 * `maxInFlight` at once — a start past that is dropped and counted. Each latency runs
 * from the start's scheduled time, so a late timer counts against the server too.
 */
export async function openLoop(rate: number, seconds: number, maxInFlight: number, task: () => Promise<unknown>) {
  const offered = Math.round(rate * seconds);
  const latencies: number[] = [];
  const failures: string[] = [];
  const running: Promise<void>[] = [];
  let [inFlight, dropped] = [0, 0];
  const t0 = performance.now();
  for (let k = 0; k < offered; k++) {
    const due = t0 + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= maxInFlight) {
      dropped++;
      continue;
    }
    inFlight++;
    const done = task().then(
      () => void latencies.push(performance.now() - due),
      (err: Error) => void failures.push(err.message.split("\n")[0]!),
    );
    running.push(done.finally(() => inFlight--));
  }
  await Promise.all(running);
  /** From the first start to the last end. */
  const elapsed = (performance.now() - t0) / 1000;
  return { offered, dropped, failures, elapsed, latencies: latencies.sort((a, b) => a - b) };
}
