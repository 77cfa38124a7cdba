import { stringify } from "csv-stringify/sync";
import { db } from "@/lib/db/client";
import { formatUsd } from "@/lib/money/format";
import { olderThan } from "@/lib/http/cursor";
import type { UsageRange } from "./usage-queries";

// GET /api/v1/usage/export.csv: every run created in the range, newest first,
// streamed in keyset-paginated batches so memory stays flat however many
// runs there are, and the first bytes leave before the last row is read.

const BATCH = 1_000;
const DAY_MS = 86_400_000;

export const CSV_COLUMNS = [
  "run_id", "created_at", "finished_at", "agent", "version", "status", "error_code", "model", "api_key_id",
  "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "price_micros", "price_usd",
] as const;

const select = {
  id: true, createdAt: true, finishedAt: true, agentSlug: true, packageVersion: true, status: true, errorCode: true, model: true, apiKeyId: true,
  inputTokens: true, outputTokens: true, cacheReadTokens: true, cacheWriteTokens: true, priceMicros: true,
} as const;

/** A spreadsheet never evaluates a cell of ours: values starting like a formula are prefixed with a quote. */
const cell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export function usageCsvStream(workspaceId: string, range: UsageRange): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: { createdAt: Date; id: string } | undefined;
  let started = false;
  const end = new Date(range.to.getTime() + DAY_MS);
  return new ReadableStream({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(stringify([CSV_COLUMNS as unknown as string[]])));
      }
      const runs = await db.run.findMany({
        where: {
          workspaceId,
          createdAt: { gte: range.from, lt: end },
          ...(cursor ? olderThan(cursor) : {}),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: BATCH,
        select,
      });
      if (runs.length) {
        const rows = runs.map((r) => [
          r.id, r.createdAt.toISOString(), r.finishedAt?.toISOString() ?? "", cell(r.agentSlug), cell(r.packageVersion), r.status, cell(r.errorCode ?? ""), cell(r.model), r.apiKeyId ?? "",
          r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens, r.priceMicros.toString(), formatUsd(Number(r.priceMicros)).slice(1),
        ]);
        controller.enqueue(encoder.encode(stringify(rows)));
        cursor = runs.at(-1)!;
      }
      if (runs.length < BATCH) controller.close();
    },
  });
}
