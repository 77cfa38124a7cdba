import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import { db, type DbTx } from "@/lib/db/client";
import { pageLimit } from "@/lib/http/pagination";
import { log } from "@/lib/observability/log";
import { parseEventTypes } from "./types";

// Reading and pruning a workspace's event feed (the rows are written by triggers: lib/events/types.ts).

/** One event as the API, the stream and webhooks send it. `seq`: its number in the workspace's gapless sequence. */
export const eventSchema = z.object({
  seq: z.number().int().positive(),
  type: z.string(),
  createdAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type FeedEvent = z.infer<typeof eventSchema>;

export const eventPageSchema = z.object({
  data: z.array(eventSchema),
  /** Pass as `after` for the next page (the last event's seq, or `after` itself when the page is empty). */
  nextAfter: z.number().int().min(0),
  hasMore: z.boolean(),
});

/** `?after=<seq>&limit=&types=run.*,balance.changed` */
export const eventsQuerySchema = z.object({
  after: z.coerce.number({ error: "`after` must be a whole number: the seq of the last event you have (0 for the beginning)." }).int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: pageLimit(100, 1000),
  types: z
    .string()
    .max(2000)
    .optional()
    .transform((s) => (s ? parseEventTypes(s.split(",").map((t) => t.trim()).filter(Boolean)) : [])),
});
export type EventsQuery = z.output<typeof eventsQuerySchema>;

type Row = { seq: bigint; type: string; createdAt: Date; data: Record<string, unknown> };

export const eventJson = (r: Row): FeedEvent => ({ seq: Number(r.seq), type: r.type, createdAt: r.createdAt.toISOString(), data: r.data });

/** A type filter's SQL: exact types, or groups (`run.*`). */
function typeFilter(types: readonly string[]): Prisma.Sql {
  if (!types.length) return Prisma.empty;
  const exact = types.filter((t) => !t.endsWith(".*"));
  const groups = types.filter((t) => t.endsWith(".*")).map((t) => t.slice(0, -2));
  return Prisma.sql`AND ("type" = ANY(${exact}::text[]) OR split_part("type", '.', 1) = ANY(${groups}::text[]))`;
}

/** The workspace's events after `after`, oldest first: a consumer that pages with `nextAfter` sees each once, none missing. */
export async function listEvents(workspaceId: string, q: EventsQuery, client: DbTx = db): Promise<z.infer<typeof eventPageSchema>> {
  const rows = await client.$queryRaw<Row[]>`
    SELECT "seq", "type", "createdAt", "data" FROM "Event"
    WHERE "workspaceId" = ${workspaceId} AND "seq" > ${q.after} ${typeFilter(q.types)}
    ORDER BY "seq" LIMIT ${q.limit + 1}`;
  const page = rows.slice(0, q.limit).map(eventJson);
  return { data: page, nextAfter: page.at(-1)?.seq ?? q.after, hasMore: rows.length > q.limit };
}

/** The workspace's newest seq (0 before its first event). */
export async function lastEventSeq(workspaceId: string, client: DbTx = db): Promise<number> {
  const row = await client.eventCounter.findUnique({ where: { workspaceId }, select: { seq: true } });
  return Number(row?.seq ?? 0n);
}

const PRUNE_BATCH = 5000;

/**
 * Deletes events older than `retentionDays` before `at`, oldest first in batches: each batch
 * reads the oldest ids (the primary key) and deletes those past the cutoff, so a feed with
 * nothing to prune costs one short index read, not a scan.
 */
export async function pruneEvents(at: Date, retentionDays: number, client: DbTx = db): Promise<number> {
  const cutoff = new Date(at.getTime() - retentionDays * 86_400_000);
  let total = 0;
  for (;;) {
    const deleted = await client.$executeRaw`
      DELETE FROM "Event" e USING (SELECT "id" FROM "Event" ORDER BY "id" LIMIT ${PRUNE_BATCH}) oldest
      WHERE e."id" = oldest."id" AND e."createdAt" < ${cutoff}`;
    total += deleted;
    if (deleted < PRUNE_BATCH) break;
  }
  if (total) log.info("pruned events", { count: total, retentionDays });
  return total;
}
