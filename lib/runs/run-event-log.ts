import type { Sql } from "@/lib/db/sql";
import { Statement } from "@/lib/db/statement";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RunEventType } from "@/lib/generated/prisma/enums";
import { runNotifications } from "./run-notifications";

// A run's transcript as the executor writes it. The executor is the only writer
// while a run executes, so it numbers events itself. Events are written in
// batches at most FLUSH_MS apart (one INSERT, one signal per batch) instead of a
// row per token — streamed text is coalesced — and a run that ends sooner
// writes its whole transcript in its finishing transaction. Writes are chained
// so they land in order.

export type PendingEvent = { type: RunEventType; data: Prisma.InputJsonValue };
export type EventRow = PendingEvent & { runId: string; seq: number };

/**
 * SQL inserting `rows` (one run's, numbered) in one statement whatever their
 * number (so it is prepared once): when `when` holds; numbered after the run's
 * last event already written when `afterLastSeq` (then `rows` are numbered from
 * 1); the last row's data passed through `last` (an SQL transform of jsonb).
 */
export function insertEventsSql(s: Statement, runId: string, rows: EventRow[], o: { afterLastSeq?: boolean; when?: string; last?: (data: string) => string } = {}): string {
  const id = s.param(runId);
  const offset = o.afterLastSeq ? ` + (SELECT coalesce(max("seq"), 0) FROM "RunEvent" WHERE "runId" = ${id})` : "";
  const data = o.last ? `CASE WHEN e."seq" = ${s.param(rows.at(-1)?.seq ?? 0, "int")} THEN ${o.last(`e."data"`)} ELSE e."data" END` : `e."data"`;
  const values = rows.map(({ seq, type, data }) => ({ seq, type, data }));
  return `INSERT INTO "RunEvent" ("runId", "seq", "type", "data")
    SELECT ${id}, e."seq"${offset}, e."type"::"RunEventType", ${data}
    FROM jsonb_to_recordset(${s.param(JSON.stringify(values), "jsonb")}) AS e("seq" int, "type" text, "data" jsonb) WHERE ${o.when ?? "true"}`;
}

/** Writes `rows` (one statement). */
export async function insertEvents(db: Sql, runId: string, rows: EventRow[]): Promise<void> {
  const s = new Statement();
  const text = insertEventsSql(s, runId, rows);
  await db.query(text, s.values);
}

const FLUSH_MS = 100;

export class RunEventLog {
  private pending: PendingEvent[] = [];
  private text = "";
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private closed = false;

  constructor(
    private readonly db: Sql,
    readonly runId: string,
    private seq: number,
  ) {}

  add(type: RunEventType, data: Prisma.InputJsonValue): void {
    this.takeText();
    this.pending.push({ type, data });
  }

  /** A streamed text delta; written within FLUSH_MS. */
  appendText(delta: string): void {
    this.text += delta;
    this.flushSoon();
  }

  /** Writes what is pending within FLUSH_MS (unless the run ends first). */
  flushSoon(): void {
    if (!this.closed) this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private takeText() {
    if (this.text) this.pending.push({ type: "text", data: { text: this.text } });
    this.text = "";
  }

  /** Numbers and removes what is pending, as rows for RunEvent. */
  drain(): EventRow[] {
    this.takeText();
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.pending.map((e) => ({ runId: this.runId, seq: ++this.seq, type: e.type, data: e.data }));
    this.pending = [];
    return rows;
  }

  /** Writes what is pending now and waits until it is written. */
  async flushNow(): Promise<void> {
    this.flush();
    await this.chain;
    if (this.failure) throw this.failure;
  }

  /** Writes what is pending now (in the background, in order). */
  private flush(): void {
    const rows = this.drain();
    if (!rows.length) return;
    this.chain = this.chain.then(() =>
      insertEvents(this.db, this.runId, rows).then(
        () => runNotifications().announceEvents(this.runId),
        (err: unknown) => void (this.failure ??= err),
      ),
    );
  }

  /**
   * Stops background writing and waits for the writes under way; rethrows the
   * first that failed. What is still pending is left for the caller to drain
   * into the finishing transaction, so no event can land after the closing ones.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
    if (this.failure) throw this.failure;
  }
}
