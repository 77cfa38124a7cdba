// npx tsx bench/knowledge-ingest.ts   (BENCH_MAX_CHARS=2000000)
//
// Issue 14: ingest time against document size, to show it is linear. For each
// shape (prose with sentences and headings; the worst shapes: one line of
// unpunctuated words, one giant word, and HTML nested 50,000 deep) and each
// size from 10 k to 2 M characters, it times the CPU work of an ingest —
// extraction, chunking and the document's token count, as createDocument does
// them — and prints milliseconds and microseconds per character (flat = linear).
// The database insert is not included (bench:knowledge measures it).
import { chunkText } from "../lib/knowledge/chunk-text";
import { extractFromFile, extractFromPaste } from "../lib/knowledge/extract-text";
import { countTokensAsync } from "../lib/llm/count-tokens";

const MAX = Number(process.env.BENCH_MAX_CHARS ?? 2_000_000);
const SIZES = [10_000, 50_000, 100_000, 500_000, 1_000_000, 2_000_000].filter((n) => n <= MAX);

let seed = 7;
const letter = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return String.fromCharCode(97 + (seed % 26));
};
const fill = (n: number, unit: () => string) => {
  const parts: string[] = [];
  for (let length = 0; length < n; ) {
    const u = unit();
    parts.push(u);
    length += u.length;
  }
  return parts.join("").slice(0, n);
};

const shapes: Record<string, (n: number) => { name: string; bytes: Uint8Array } | string> = {
  prose: (n) => fill(n, () => (Math.random() < 0.02 ? "\n\n## Section heading\n\n" : `${Array.from({ length: 12 }, () => fill(6, letter)).join(" ")}. `)),
  "unpunctuated words, one line": (n) => fill(n, () => `${fill(6, letter)} `),
  "one giant word": (n) => fill(n, letter),
  "HTML nested deep": (n) => {
    const depth = Math.floor(n / 12);
    return { name: "deep.html", bytes: new TextEncoder().encode(`${"<div>".repeat(depth)}${fill(n - depth * 11, letter)}${"</div>".repeat(depth)}`) };
  },
};

async function ingest(input: string | { name: string; bytes: Uint8Array }) {
  const extracted = typeof input === "string" ? extractFromPaste(input) : await extractFromFile(input.name, input.bytes);
  const chunks = await chunkText(extracted.text);
  await countTokensAsync(extracted.text);
  return chunks.length;
}

await ingest("warm up the tokenizer's rank table");
console.log(["shape".padEnd(30), "chars".padStart(9), "ms".padStart(8), "µs/char".padStart(8), "chunks".padStart(7)].join(" "));
for (const [shape, make] of Object.entries(shapes)) {
  for (const n of SIZES) {
    const input = make(n);
    const started = performance.now();
    const chunks = await ingest(input);
    const ms = performance.now() - started;
    console.log([shape.padEnd(30), String(n).padStart(9), ms.toFixed(0).padStart(8), ((ms * 1000) / n).toFixed(2).padStart(8), String(chunks).padStart(7)].join(" "));
  }
}
