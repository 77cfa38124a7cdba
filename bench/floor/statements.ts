import type pg from "pg";
import type { ModelPriceRow } from "../../lib/llm/model-prices";

// The floor's SQL (issue 18): what a metered run must write, against Agora's own
// schema, in as few round trips as the money allows — one lookup of the key, one
// statement that creates the run with its hold, one that settles it. Each is a
// named prepared statement (parsed and planned once per connection). Lock order
// as in lib/ledger/ledger.ts: the wallet row, at most once per statement.

const HOLD_LIFETIME = "24 hours"; // lib/runs/money/hold.ts HOLD_LIFETIME_MS
// Prisma's DateTime columns are timestamps without time zone, written in UTC.
const utcNow = `(now() AT TIME ZONE 'UTC')`;

/** The key, its workspace's price multiplier and wallet: null when unknown, revoked, its creator disabled, or the workspace suspended. */
const authSql = `
  SELECT k."id", k."workspaceId", t."priceMultiplierBps", a."id" AS "walletId"
  FROM "ApiKey" k
  JOIN "Workspace" w ON w."id" = k."workspaceId"
  JOIN "Tier" t ON t."code" = w."tierCode"
  LEFT JOIN "User" u ON u."id" = k."createdById"
  LEFT JOIN "LedgerAccount" a ON a."workspaceId" = k."workspaceId"
  WHERE k."hash" = $1 AND k."revokedAt" IS NULL AND (k."createdById" IS NULL OR u."disabledAt" IS NULL) AND w."suspendedAt" IS NULL`;

/**
 * The wallet's pending debits grow by the hold only if its available balance
 * covers it; the run and the hold are inserted only if that update happened —
 * so a refused run writes nothing. No row back = insufficient funds.
 */
const acceptSql = `
  WITH wallet AS (
    UPDATE "LedgerAccount" SET "pendingDebitsMicros" = "pendingDebitsMicros" + $1::bigint
    WHERE "id" = $2 AND "postedMicros" - "pendingDebitsMicros" >= $1::bigint
    RETURNING 1
  ), run AS (
    INSERT INTO "Run" ("id", "workspaceId", "apiKeyId", "packageId", "agentSlug", "packageVersion", "status", "input", "provider", "model", "startedAt")
    SELECT $3, $4, $5, $6, $7, $8, 'RUNNING'::"RunStatus", $9::jsonb, 'anthropic', $10, ${utcNow} FROM wallet
    RETURNING "id"
  )
  INSERT INTO "Transfer" ("id", "kind", "debitAccountId", "creditAccountId", "amountMicros", "idempotencyKey", "workspaceId", "runId", "reason", "expiresAt")
  SELECT $11, 'PENDING'::"TransferKind", $2, 'acct_platform_revenue', $1::bigint, 'run:' || run."id" || ':hold', $4, run."id", 'run_charge', ${utcNow} + interval '${HOLD_LIFETIME}'
  FROM run
  RETURNING "id"`;

/**
 * Ends the run (only if still RUNNING) and, only if it did: resolves the hold
 * for the price (POST_PENDING) or voids it (nothing to pay), moves the wallet's
 * cached balance accordingly, books the model cost from revenue to provider cost,
 * and adds the run to its day's usage row. One statement, so one transaction.
 * No row back = the run had already ended.
 */
const settleSql = `
  WITH run AS (
    UPDATE "Run" SET "status" = $2::"RunStatus", "output" = $3::jsonb, "errorCode" = $4, "errorMessage" = $5,
      "inputTokens" = $6, "outputTokens" = $7, "cacheWriteTokens" = $8, "cacheReadTokens" = $9,
      "providerCostMicros" = $10::bigint, "priceMicros" = $11::bigint, "finishedAt" = ${utcNow}
    WHERE "id" = $1 AND "status" = 'RUNNING'
    RETURNING "id", "workspaceId", "apiKeyId", "agentSlug", "model", "finishedAt"
  ), wallet AS (
    UPDATE "LedgerAccount" SET "pendingDebitsMicros" = "pendingDebitsMicros" - $13::bigint, "postedMicros" = "postedMicros" - $11::bigint
    WHERE "id" = $14 AND EXISTS (SELECT 1 FROM run)
    RETURNING 1
  ), resolution AS (
    INSERT INTO "Transfer" ("id", "kind", "debitAccountId", "creditAccountId", "amountMicros", "pendingId", "workspaceId", "runId", "reason")
    SELECT $15, CASE WHEN $11::bigint > 0 THEN 'POST_PENDING' ELSE 'VOID_PENDING' END::"TransferKind", $14, 'acct_platform_revenue', $11::bigint, $12, run."workspaceId", run."id", 'run_charge'
    FROM run
  ), model_cost AS (
    INSERT INTO "Transfer" ("id", "kind", "debitAccountId", "creditAccountId", "amountMicros", "idempotencyKey", "workspaceId", "runId", "reason")
    SELECT $16, 'POSTED'::"TransferKind", 'acct_platform_revenue', 'acct_provider_cost', $10::bigint, 'run:' || run."id" || ':model_cost', run."workspaceId", run."id", 'model_cost'
    FROM run WHERE $10::bigint > 0
  ), usage AS (
    INSERT INTO "UsageDaily" AS d ("workspaceId", "day", "agentSlug", "model", "apiKeyId", "runs", "succeeded", "failed", "canceled",
      "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "costMicros", "priceMicros")
    SELECT run."workspaceId", run."finishedAt"::date, run."agentSlug", run."model", coalesce(run."apiKeyId", ''), 1,
      ($2 = 'SUCCEEDED')::int, ($2 = 'FAILED')::int, 0, $6, $7, $9, $8, $10::bigint, $11::bigint
    FROM run
    ON CONFLICT ("workspaceId", "day", "agentSlug", "model", "apiKeyId") DO UPDATE SET
      "runs" = d."runs" + 1, "succeeded" = d."succeeded" + EXCLUDED."succeeded", "failed" = d."failed" + EXCLUDED."failed",
      "inputTokens" = d."inputTokens" + EXCLUDED."inputTokens", "outputTokens" = d."outputTokens" + EXCLUDED."outputTokens",
      "cacheReadTokens" = d."cacheReadTokens" + EXCLUDED."cacheReadTokens", "cacheWriteTokens" = d."cacheWriteTokens" + EXCLUDED."cacheWriteTokens",
      "costMicros" = d."costMicros" + EXCLUDED."costMicros", "priceMicros" = d."priceMicros" + EXCLUDED."priceMicros"
  )
  SELECT "id" FROM run`;

const packageSql = `
  SELECT "id", "slug", "version", "model", "maxOutputTokens", "baseFeeMicros" FROM "AgentPackage"
  WHERE "slug" = $1 AND "status" = 'PUBLISHED' ORDER BY "createdAt" DESC LIMIT 1`;

const modelPriceSql = `
  SELECT "inputMicrosPerMTok", "outputMicrosPerMTok", "cacheWriteMicrosPerMTok", "cacheReadMicrosPerMTok" FROM "ModelPrice" WHERE "model" = $1`;

export type FloorKey = { id: string; workspaceId: string; priceMultiplierBps: number; walletId: string | null };
export type FloorPackage = { id: string; slug: string; version: string; model: string; maxOutputTokens: number; baseFeeMicros: bigint };
export type FloorModelPrice = Omit<ModelPriceRow, "model" | "displayName">;

export type AcceptParams = {
  holdMicros: bigint;
  walletId: string;
  runId: string;
  key: FloorKey;
  pkg: FloorPackage;
  input: unknown;
  holdId: string;
};

export type SettleParams = {
  runId: string;
  status: "SUCCEEDED" | "FAILED";
  output: unknown;
  error: { code: string; message: string } | null;
  usage: { inputTokens: number; outputTokens: number; cacheWriteTokens: number; cacheReadTokens: number };
  costMicros: bigint;
  priceMicros: bigint;
  holdId: string;
  holdMicros: bigint;
  walletId: string;
  resolutionId: string;
  modelCostId: string;
};

/** The floor's queries, each one named prepared statement on `pool`. */
export function floorStatements(pool: pg.Pool) {
  return {
    async authenticate(hash: string): Promise<FloorKey | null> {
      const { rows } = await pool.query<FloorKey>({ name: "floor_auth", text: authSql, values: [hash] });
      return rows[0] ?? null;
    },
    /** True when the run and its hold were written; false when the wallet cannot cover the hold. */
    async accept(p: AcceptParams): Promise<boolean> {
      const { pkg, key } = p;
      const values = [p.holdMicros.toString(), p.walletId, p.runId, key.workspaceId, key.id, pkg.id, pkg.slug, pkg.version, JSON.stringify(p.input), pkg.model, p.holdId];
      const { rowCount } = await pool.query({ name: "floor_accept", text: acceptSql, values });
      return rowCount === 1;
    },
    /** True when this call ended the run. */
    async settle(p: SettleParams): Promise<boolean> {
      const u = p.usage;
      const values = [
        p.runId, p.status, p.output === undefined ? null : JSON.stringify(p.output), p.error?.code ?? null, p.error?.message ?? null,
        u.inputTokens, u.outputTokens, u.cacheWriteTokens, u.cacheReadTokens, p.costMicros.toString(), p.priceMicros.toString(),
        p.holdId, p.holdMicros.toString(), p.walletId, p.resolutionId, p.modelCostId,
      ];
      const { rowCount } = await pool.query({ name: "floor_settle", text: settleSql, values });
      return rowCount === 1;
    },
    async packageBySlug(slug: string): Promise<FloorPackage | null> {
      const { rows } = await pool.query<FloorPackage & { baseFeeMicros: string }>({ name: "floor_package", text: packageSql, values: [slug] });
      return rows[0] ? { ...rows[0], baseFeeMicros: BigInt(rows[0].baseFeeMicros) } : null;
    },
    async modelPrice(model: string): Promise<FloorModelPrice | null> {
      const { rows } = await pool.query<Record<keyof FloorModelPrice, string>>({ name: "floor_model_price", text: modelPriceSql, values: [model] });
      const r = rows[0];
      return r ? { inputMicrosPerMTok: BigInt(r.inputMicrosPerMTok), outputMicrosPerMTok: BigInt(r.outputMicrosPerMTok), cacheWriteMicrosPerMTok: BigInt(r.cacheWriteMicrosPerMTok), cacheReadMicrosPerMTok: BigInt(r.cacheReadMicrosPerMTok) } : null;
    },
  };
}

export type FloorStatements = ReturnType<typeof floorStatements>;
