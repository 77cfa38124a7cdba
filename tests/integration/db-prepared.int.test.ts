import { describe, expect, it } from "vitest";
import { listAgents, listAgentsQuerySchema } from "@/lib/agents/catalog";
import { getDb, PLAN_PER_CALL, preparedStatementName } from "@/lib/db/client";
import { createBoss } from "@/lib/jobs/boss";
import { env } from "@/lib/env";

// Two settings on the run path (issue 17's throughput): the app's statements are
// prepared once per connection (planning was ~45 % of the database's time per
// statement), and the job engine's own writes commit without waiting for the WAL.

describe("the app's database connections", () => {
  it("send our queries as named statements, planned once per connection and reused", async () => {
    const db = getDb();
    const names = await db.$transaction(async (tx) => {
      await tx.tier.findMany({ select: { code: true } });
      await tx.tier.findMany({ select: { code: true } });
      return tx.$queryRaw<{ name: string }[]>`SELECT name FROM pg_prepared_statements WHERE name LIKE 'agora\\_%'`;
    });
    // The tier read (and this query itself) are prepared on the transaction's connection — once each.
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(new Set(names.map((n) => n.name)).size).toBe(names.length);
  });

  it("leave statements whose text grows with their input unnamed, and name the same text the same way", () => {
    const sql = "SELECT 1 WHERE $1::int = 1";
    const name = preparedStatementName({ sql, args: [1] });
    expect(name).toMatch(/^agora_/);
    expect(preparedStatementName({ sql, args: [2] })).toBe(name);
    expect(preparedStatementName({ sql: "INSERT … many rows", args: Array.from({ length: 33 }, (_, i) => i) })).toBe("");
    expect(preparedStatementName({ sql: `${PLAN_PER_CALL} SELECT 1 WHERE $1::int = 1`, args: [1] })).toBe(""); // planned for its values
  });

  it("plan the catalog's searches for each call's words: none of them is prepared", async () => {
    const db = getDb();
    const prepared = await db.$transaction(async (tx) => {
      for (const q of ["security", "zzqqxxvvkk", "incdent"]) await listAgents(listAgentsQuerySchema.parse({ q }), tx);
      return tx.$queryRaw<{ statement: string }[]>`SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%CatalogEntry%' AND statement NOT LIKE '%pg_prepared_statements%'`;
    });
    expect(prepared).toEqual([]);
  });
});

describe("the job engine's connections", () => {
  it("commit asynchronously (claims and completions are fenced by Run.attempt, so losing the last moments to a crash is harmless)", async () => {
    const e = env();
    const boss = createBoss({ connectionString: e.DATABASE_URL, schema: e.AGORA_JOBS_SCHEMA, instanceName: "test", superviseSeconds: 60 });
    await boss.start();
    try {
      const { rows } = await boss.getDb().executeSql("SHOW synchronous_commit");
      expect(rows[0]).toEqual({ synchronous_commit: "off" });
    } finally {
      await boss.stop({ graceful: false });
    }
  });
});
