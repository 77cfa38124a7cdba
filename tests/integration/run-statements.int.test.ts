import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "@/lib/env";
import { acceptRun } from "@/lib/runs/accept-run";
import { createUser, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach } from "../helpers/lifecycle";
import { scannerInput, testExecutor } from "../helpers/run-harness";

// What one whole run costs the database (issue 18), counted on the driver on a
// real run: accepted, claimed by a worker, executed (offline model) and
// finished. The goal is at most 10 statements and 3 commits; what is
// asserted here is what the run path does today (7 statements plus the
// transcript's batches, each statement its own transaction), so that any
// statement added to it fails this test and has to be argued for.

expectLedgerInvariantsAfterEach();
afterEach(() => vi.restoreAllMocks());

type Sent = { text: string; values: unknown[]; rows: unknown[] | undefined; inTransaction: boolean };

/** Records every statement sent by any pg client of this process (Prisma's adapter, `pg` directly, pg-boss) until the mocks are restored. */
function recordStatements() {
  const sent: Sent[] = [];
  const open = new WeakSet<pg.Client>();
  const query = pg.Client.prototype.query;
  vi.spyOn(pg.Client.prototype, "query").mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { text: string; values?: unknown[] };
    const text = typeof q === "string" ? q : q.text;
    const entry: Sent = { text, values: (typeof q === "string" ? (args[1] as unknown[] | undefined) : q.values) ?? [], rows: undefined, inTransaction: open.has(this) };
    // pg-boss sends some upkeep as one text, "BEGIN; …; COMMIT;": that leaves no transaction open on the client.
    if (/^\s*BEGIN/i.test(text) && !/\b(COMMIT|ROLLBACK)\s*;?\s*$/i.test(text)) open.add(this);
    if (/^\s*(COMMIT|ROLLBACK)/i.test(text)) open.delete(this);
    sent.push(entry);
    // Results come back to a callback (pg's Pool.query, which pg-boss uses) or as a promise.
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") args[last] = (err: unknown, r: { rows?: unknown[] } | undefined) => ((entry.rows = r?.rows), callback(err, r));
    const result = (query as (...a: unknown[]) => unknown).apply(this, args);
    if (typeof (result as Promise<unknown> | undefined)?.then === "function") (result as Promise<{ rows?: unknown[] }>).then((r) => (entry.rows = r?.rows), () => undefined);
    return result;
  } as typeof query);
  return sent;
}

describe("one whole run", () => {
  it("from accept to its job completed: 7 statements and its transcript batches, each its own commit (none in an explicit transaction)", async () => {
    const owner = await createUser("whole-run", { tier: "pro" });
    await setWallet(owner.workspace.id, 10_000_000n);
    const executor = testExecutor({ pollMs: 600_000 }); // no polling: the worker fetches when this process accepts a run
    const body = { agent: "security-scanner", input: scannerInput };
    await acceptRun(owner.principal, body, { executor }); // warms the caches (package, prices, pg-boss's queues)
    await executor.settled();

    const sent = recordStatements();
    const { run } = await acceptRun(owner.principal, body, { executor });
    const json = (v: unknown) => JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? String(x) : x));
    const mentions = (s: Sent, id: string) => json(s.values).includes(id) || json(s.rows ?? []).includes(id);
    // The run's job is completed last: the completion names the job the fetch returned (our run's).
    const jobId = () => (sent.find((s) => /WITH\s+next\s+AS/.test(s.text) && mentions(s, run.id))?.rows?.[0] as { id?: string } | undefined)?.id;
    // The run's job completed (in memory: a query of ours would be counted too).
    await vi.waitFor(() => expect(Boolean(jobId()) && sent.some((s) => s.text.includes("completed_on") && mentions(s, jobId()!) && s.rows)).toBe(true), { timeout: 30_000, interval: 10 });
    vi.restoreAllMocks();

    // pg-boss's own upkeep (supervision, maintenance, polls that found nothing: statements naming its schema but not the run) is not the run's.
    const schema = env().AGORA_JOBS_SCHEMA;
    // Heartbeats keep a long run's job alive: how many depends on how long it runs, not on the path.
    const ofRun = sent.filter((s) => (!s.text.includes(schema) || mentions(s, run.id) || mentions(s, jobId()!)) && !/^\s*WITH results AS \(\s*UPDATE \S+\s+SET heartbeat_on = /.test(s.text));
    const described = ofRun.map((s) => s.text.replace(/\s+/g, " ").slice(0, 90));
    expect(ofRun.filter((s) => s.inTransaction || /^\s*(BEGIN|COMMIT)/i.test(s.text)), described.join("\n")).toEqual([]);
    const kinds = ofRun.map((s) => {
      if (s.text.includes('INSERT INTO "RateLimit"')) return "rate limit: runs/hour";
      if (s.text.includes('FROM "UsageDaily"') && s.text.includes('"RunSlot"')) return "tokens today + live runs";
      if (s.text.includes('INSERT INTO "RunSlot"')) return "accept";
      if (/WITH\s+next\s+AS/.test(s.text)) return "job fetch";
      if (/UPDATE "Run" SET "status"/.test(s.text) && s.text.includes('"startedAt"')) return "claim";
      if (s.text.includes('INSERT INTO "RunEvent"') && !s.text.includes("held")) return "events";
      if (s.text.includes("WITH held AS")) return "finish";
      if (s.text.includes("completed_on")) return "job completion";
      return `other: ${s.text.replace(/\s+/g, " ").slice(0, 80)}`;
    });
    // Transcript batches go out at most FLUSH_MS apart while the run goes on (lib/runs/run-event-log.ts), and what is
    // left rides in the finish: how many depends on how long the run takes, so they count as one entry here.
    const batches = kinds.filter((k) => k === "events").length;
    const path = kinds.filter((k, i) => k !== "events" || kinds[i - 1] !== "events").map((k) => (k === "events" ? "events (batches)" : k));
    expect(path, described.join("\n")).toEqual(["tokens today + live runs", "rate limit: runs/hour", "accept", "job fetch", "claim", ...(batches ? ["events (batches)"] : []), "finish", "job completion"]);
    expect(ofRun.length).toBe(7 + batches);
  });
});
