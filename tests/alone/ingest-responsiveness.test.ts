import { monitorEventLoopDelay } from "node:perf_hooks";
import { beforeAll, describe, expect, it } from "vitest";
import * as readyRoute from "@/app/api/health/ready/route";
import * as documentsRoute from "@/app/api/v1/documents/route";
import { MAX_DOCUMENT_CHARS } from "@/lib/knowledge/documents";
import { loadTokenizer } from "@/lib/llm/count-tokens";
import { callRoute, sessionCookie } from "../helpers/call-route";
import { createUser } from "../helpers/factories";

// Issue 14, "no request stalls the server": the largest allowed paste of the
// worst shapes (no sentence punctuation, one paragraph, one line; one giant
// word) goes through the real documents route while /api/health/ready is
// called in the same process, again and again. Ingest runs on the request
// thread and yields to the event loop, so every probe answers within 200 ms.
// A latency bound: this file runs in the second Vitest pass, alone (vitest.config.ts).

let auth: Record<string, string>;
beforeAll(async () => {
  loadTokenizer(); // as every server process does at start (instrumentation.ts)
  const { user } = await createUser("ingest-responsive");
  auth = { cookie: await sessionCookie(user.id) };
});

/** Deterministic pseudo-random lowercase letters: words the tokenizer has not seen (no memo helps). */
function letters(n: number, seed: number): string {
  const out: string[] = [];
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    out.push(String.fromCharCode(97 + (x % 26)));
  }
  return out.join("");
}

async function probeWhile<T>(work: Promise<T>): Promise<{ result: T; latencies: number[]; loopDelayMaxMs: number }> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let done = false;
  const finished = work.finally(() => {
    done = true;
  });
  const latencies: number[] = [];
  while (!done) {
    const started = performance.now();
    const res = await readyRoute.GET();
    latencies.push(performance.now() - started);
    expect(res.status).toBe(200);
  }
  const result = await finished;
  loop.disable();
  return { result, latencies, loopDelayMaxMs: loop.max / 1e6 };
}

/** `n` characters of five-letter "words" separated by `sep` — no sentence punctuation anywhere. */
const words = (n: number, sep: (i: number) => string) => {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < n; i++) {
    const w = letters(5, i) + sep(i);
    parts.push(w);
    length += w.length;
  }
  return parts.join("").slice(0, n - 1) + "z";
};

describe("ingest of the largest, worst-shaped document", () => {
  const shapes = [
    ["one giant word", () => letters(MAX_DOCUMENT_CHARS, 11)],
    ["one giant line of unpunctuated words", () => words(MAX_DOCUMENT_CHARS, () => " ")],
    ["one giant paragraph (lines, no blank line, no punctuation)", () => words(MAX_DOCUMENT_CHARS, (i) => (i % 12 === 11 ? "\n" : " "))],
  ] as const;

  it.each(shapes)("keeps /api/health/ready under 200 ms while it ingests %s", { timeout: 300_000 }, async (_, make) => {
    const text = make();
    expect(text.length).toBe(MAX_DOCUMENT_CHARS);
    const ingest = callRoute(documentsRoute.POST, { method: "POST", path: "/api/v1/documents", body: JSON.stringify({ title: "Worst case", text }), headers: auth });
    const { result, latencies, loopDelayMaxMs } = await probeWhile(ingest);
    expect(result.status).toBe(201);
    expect((result.body as unknown as { charCount: number }).charCount).toBe(text.trim().length);
    expect(latencies.length).toBeGreaterThan(10); // the probes really ran while the document was processed
    expect(Math.max(...latencies), `${latencies.length} probes; the event loop was blocked ${loopDelayMaxMs.toFixed(0)} ms at most`).toBeLessThan(200);
  });
});
