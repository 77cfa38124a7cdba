// npm run bench:knowledge   (BENCH_DOCS=400 BENCH_WORKSPACES=4 BENCH_QUERIES=300)
//
// The knowledge base (issue 4), in-process against the embedded PostgreSQL:
// ingest (extract → chunk → insert with search vectors, one transaction per
// document) and ranked search with snippets, as a workspace's corpus grows and
// other workspaces share the table. Documents are generated markdown, ~2,500
// words each in sections, from a fixed vocabulary (a seeded random generator, so
// runs are comparable). Prints documents/s, MB/s, chunks, and search latency
// p50/p95/p99 for two- and four-word queries, and how many chunks a query matched
// on average (search cost grows with that number: every match is ranked).
import { randomBytes } from "node:crypto";
import { prng } from "../tests/helpers/prng";
import { startTestDatabase } from "../tests/helpers/test-database";
import { prepareDatabase } from "../lib/db/prepare-database";

const DOCS = Number(process.env.BENCH_DOCS ?? 400); // per workspace
const WORKSPACES = Number(process.env.BENCH_WORKSPACES ?? 4);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 300);

const database = await startTestDatabase("agora_bench_kb");
Object.assign(process.env, { DATABASE_URL: database.url, NEXTAUTH_SECRET: randomBytes(32).toString("base64url"), AGORA_SEED_DEMO: "0" });
await prepareDatabase(database.url);
const { getDb } = await import("../lib/db/client");
const { createDocument, searchDocuments } = await import("../lib/knowledge/documents");
const { extractFromPaste } = await import("../lib/knowledge/extract-text");
const { signUp } = await import("../lib/accounts/sign-up");
const db = getDb();

// A deterministic generator (mulberry32) and a vocabulary with a long tail, like real text.
const random = prng(42);
const syllables = ["ka", "lo", "mi", "ren", "ta", "vo", "sil", "dor", "ne", "pra", "qu", "ist", "ber", "on", "ul", "ex"];
const vocabulary = Array.from({ length: 8_000 }, (_, i) => {
  let w = "";
  for (let n = 2 + (i % 3); n > 0; n--) w += syllables[Math.floor(random() * syllables.length)];
  return `${w}${i % 7 === 0 ? "s" : ""}`;
});
const word = () => vocabulary[Math.floor(vocabulary.length * random() ** 2.5)]!; // Zipf-ish: low indexes common
const sentence = () => {
  const n = 8 + Math.floor(random() * 14);
  const s = Array.from({ length: n }, word).join(" ");
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
};
function document(i: number): string {
  const parts = [`# Document ${i}: ${word()} ${word()}`];
  for (let s = 0; s < 8; s++) {
    parts.push(`## ${word()} ${word()}`);
    for (let p = 0; p < 4; p++) parts.push(Array.from({ length: 4 }, sentence).join(" "));
  }
  return parts.join("\n\n");
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

const workspaces: { id: string; userId: string }[] = [];
for (let w = 0; w < WORKSPACES; w++) {
  const { user, workspace } = await signUp({ email: `kb-bench-${w}-${Date.now()}@bench.agora.dev`, password: "bench password 1", name: `Bench ${w}` }, { ip: null, baseUrl: "http://localhost:3000" });
  workspaces.push({ id: workspace.id, userId: user.id });
}

console.log(`knowledge base: ${DOCS} documents × ${WORKSPACES} workspaces, ${QUERIES} queries per size\n`);
console.log("| corpus (all workspaces) | ingest docs/s | ingest MB/s | chunks/doc | search p50 | p95 | p99 | matches/query |");
console.log("|---|---|---|---|---|---|---|---|");

for (const fraction of [0.25, 1]) {
  const target = Math.round(DOCS * fraction);
  const existing = await db.document.count({ where: { workspaceId: workspaces[0]!.id } });
  let bytes = 0;
  const started = performance.now();
  for (let i = existing; i < target; i++) {
    for (const w of workspaces) {
      const text = document(i);
      bytes += Buffer.byteLength(text);
      await createDocument(db, { workspaceId: w.id, userId: w.userId }, { extracted: extractFromPaste(text), source: `doc-${i}.md`, sizeBytes: Buffer.byteLength(text) });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const added = (target - existing) * WORKSPACES;
  const chunks = await db.documentChunk.count();
  const docs = await db.document.count();

  const timings: number[] = [];
  let matches = 0;
  for (let q = 0; q < QUERIES; q++) {
    // Query words are drawn uniformly from the vocabulary (content words); the text's are Zipf-skewed.
    const query = Array.from({ length: q % 2 ? 4 : 2 }, () => vocabulary[Math.floor(random() * vocabulary.length)]!).join(" ");
    const t = performance.now();
    await searchDocuments(db, workspaces[q % WORKSPACES]!.id, query, 10);
    timings.push(performance.now() - t);
    matches += (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "DocumentChunk" WHERE "workspaceId" = ${workspaces[q % WORKSPACES]!.id} AND "searchVector" @@ replace(websearch_to_tsquery('english', ${query})::text, ' & ', ' | ')::tsquery`)[0]!.n;
  }
  timings.sort((a, b) => a - b);
  console.log(
    `| ${docs} docs / ${chunks} chunks | ${(added / seconds).toFixed(1)} | ${(bytes / 1e6 / seconds).toFixed(2)} | ${(chunks / docs).toFixed(1)} | ${ms(pct(timings, 0.5))} | ${ms(pct(timings, 0.95))} | ${ms(pct(timings, 0.99))} | ${(matches / QUERIES).toFixed(0)} |`,
  );
}

await db.$disconnect();
await database.stop();
