// What the run benchmarks share: a fake Anthropic that answers the Security
// Scanner's one turn at once, one run end to end through the public API
// (POST /api/v1/runs, then its SSE stream to the closing `usage` event), and a
// pool that keeps `concurrency` of them going.
import { type FakeAnthropic, startFakeAnthropic } from "../tests/fakes/anthropic-server";

export const benchRunInput = { files: [{ path: "app.py", content: "print('hello')\n" }] };

/** The fake Anthropic, scripted with the Security Scanner's answer, and the server environment pointing at it. */
export async function benchAnthropic(): Promise<{ fake: FakeAnthropic; env: Record<string, string> }> {
  const fake = await startFakeAnthropic();
  const answer = JSON.stringify({ summary: "No findings.", counts: { critical: 0, high: 0, medium: 0, low: 0 }, findings: [] });
  fake.script({ kind: "message", blocks: [{ type: "text", text: answer }], usage: { input: 900, output: 40 } });
  return { fake, env: { ANTHROPIC_API_KEY: "sk-ant-bench-not-real", ANTHROPIC_BASE_URL: fake.url } };
}

/** One Security Scanner run, created and followed to its end: its id, the POST's time and the whole time, in ms. */
export async function benchRun(base: string, headers: Record<string, string>): Promise<{ id: string; postMs: number; ms: number }> {
  const started = performance.now();
  const created = await fetch(`${base}/api/v1/runs`, { method: "POST", headers, body: JSON.stringify({ agent: "security-scanner", input: benchRunInput }) });
  if (created.status !== 201) throw new Error(`POST /runs → ${created.status}: ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const postMs = performance.now() - started;
  // A run that never ends (stuck in the queue, a dead worker) fails the bench instead of hanging it.
  const events = await fetch(`${base}/api/v1/runs/${id}/events`, { headers, signal: AbortSignal.timeout(120_000) });
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
