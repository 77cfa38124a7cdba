import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { toApiError } from "@/lib/http/errors";

// A database that cannot be reached is a 503 to retry, never a 500 (a restart, a failover).
describe("toApiError with the database down", () => {
  it("maps Prisma's unreachable-database errors, from the real client, to 503 service_unavailable", async () => {
    process.env.DATABASE_URL = "postgresql://postgres:x@127.0.0.1:1/agora";
    const db = getDb();
    const query = await db.user.count().catch((e: unknown) => e);
    const raw = await db.$queryRaw`SELECT 1`.catch((e: unknown) => e);
    for (const err of [query, raw]) expect(toApiError(err)).toMatchObject({ code: "service_unavailable", status: 503 });
    expect(toApiError(new Error("boom"))).toMatchObject({ code: "internal_error", status: 500 });
  });
});
