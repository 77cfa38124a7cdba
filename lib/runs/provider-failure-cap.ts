import { createHash } from "node:crypto";
import { sql } from "@/lib/db/sql";
import { Statement } from "@/lib/db/statement";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";

// The failure-farming cap (SPEC §13): a failed run is free, so the same input
// failing again and again by a third-party package's provider's fault must not
// become a way to use the package for nothing. Past AGORA_PROVIDER_FAILURES_PER_HOUR
// such failures in the last hour (this workspace, this package, this input), the
// accept statement refuses the run before it takes a slot or a hold. Built-in
// runs never have this step.

/** JSON with every object's keys sorted: equal inputs, equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Run.inputHash: sha256 (hex) of the key-sorted input JSON. */
export const inputHash = (input: unknown) => createHash("sha256").update(canonicalJson(input)).digest("hex");

export type CapKey = { workspaceId: string; agentSlug: string; inputHash: string };

/** The provider-caused failures of this key in the last hour, newest first (the partial index Run_provider_failures_idx). */
const recentFailures = (p: Statement, k: CapKey) => `SELECT "finishedAt" FROM "Run"
  WHERE "workspaceId" = ${p.param(k.workspaceId, "text")} AND "agentSlug" = ${p.param(k.agentSlug, "text")} AND "inputHash" = ${p.param(k.inputHash, "text")}
    AND "failureCause" = 'provider' AND "finishedAt" > (now() AT TIME ZONE 'UTC') - interval '1 hour'`;

/** The accept statement's step: a row when this input is still under the cap; its select-list column `underCap`. */
export function providerCapStep(p: Statement, k: CapKey): { cte: string; column: string; name: string } {
  const limit = p.param(env().AGORA_PROVIDER_FAILURES_PER_HOUR, "int");
  return {
    name: "provider_cap",
    cte: `provider_cap AS (SELECT 1 WHERE (SELECT count(*) FROM (${recentFailures(p, k)} LIMIT ${limit}) f) < ${limit})`,
    column: `EXISTS (SELECT 1 FROM provider_cap) AS "underCap"`,
  };
}

const hhmm = (at: Date) => at.toISOString().slice(11, 16);

/** The 429 of a refused input, saying when it may be tried again (when enough of its failures are an hour old). */
export async function providerCapRefusal(k: CapKey): Promise<ApiError> {
  const limit = env().AGORA_PROVIDER_FAILURES_PER_HOUR;
  const s = new Statement();
  const rows = await sql.query<{ at: Date }>(`SELECT "finishedAt" AT TIME ZONE 'UTC' AS "at" FROM (${recentFailures(s, k)}) f ORDER BY 1 DESC`, s.values);
  const oldestCounted = rows[limit - 1]?.at ?? new Date();
  const retryAt = new Date(oldestCounted.getTime() + 3_600_000);
  const retryAfterSeconds = Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000));
  return new ApiError(
    "rate_limited",
    `This input failed ${rows.length} times in the last hour because of the package's provider; try again after ${hhmm(retryAt)} UTC.`,
    { dimension: "provider_failures", limit, retryAfterSeconds },
  );
}
