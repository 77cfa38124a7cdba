import type { DbTx } from "@/lib/db/client";
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

const FLUSH_MS = 100;

export class RunEventLog {
  private pending: PendingEvent[] = [];
  private text = "";
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private closed = false;

  constructor(
    private readonly db: DbTx,
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
  drain(): Prisma.RunEventCreateManyInput[] {
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
      this.db.runEvent.createMany({ data: rows }).then(
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
