// POST /api/test/clock — { advanceMs }: moves the shared test clock forward for every process (platform admin; 404 unless AGORA_TEST_CLOCK=1, never in production)
import { z } from "zod";
import { env } from "@/lib/env";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";
import { advanceClock } from "@/lib/time/clock";

const body = z.object({ advanceMs: z.number({ error: "advanceMs: a number of milliseconds." }).int().min(0).max(365 * 86_400_000) });

export const POST = route({ permission: "platform.admin", body }, async ({ body }) => {
  if (!env().AGORA_TEST_CLOCK) throw new ApiError("not_found", "Not found.");
  return { now: (await advanceClock(db, body.advanceMs)).toISOString() };
});
