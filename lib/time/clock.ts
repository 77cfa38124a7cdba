import type { DbTx } from "@/lib/db/client";
import { env } from "@/lib/env";

// The one injectable clock (SPEC §13): what time the market's jobs (earnings
// maturation, payouts) think it is. In production it is the system clock. With
// AGORA_TEST_CLOCK=1 (refused in production, lib/env.ts) it is the system clock
// plus an offset stored in the database, so every process of a test (the e2e
// suite runs two app instances on one database) sees time move together when a
// test advances it (POST /api/test/clock). Jobs are not hot: the read costs one
// query, and only under the test clock. The run path keeps its own `new Date()`.

/** Now, as the jobs see it. */
export async function now(db: DbTx): Promise<Date> {
  if (!env().AGORA_TEST_CLOCK) return new Date();
  const row = await db.testClock.findUnique({ where: { id: 1 } });
  return new Date(Date.now() + Number(row?.offsetMs ?? 0n));
}

/** Moves the test clock forward by `ms` (for every process); returns the new now. Only under AGORA_TEST_CLOCK. */
export async function advanceClock(db: DbTx, ms: number): Promise<Date> {
  if (!env().AGORA_TEST_CLOCK) throw new Error("The test clock is off (AGORA_TEST_CLOCK).");
  const row = await db.testClock.upsert({ where: { id: 1 }, create: { id: 1, offsetMs: BigInt(ms) }, update: { offsetMs: { increment: BigInt(ms) } } });
  return new Date(Date.now() + Number(row.offsetMs));
}
