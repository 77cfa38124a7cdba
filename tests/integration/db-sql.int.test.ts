import { describe, expect, it } from "vitest";
import { sql, sqlTransaction } from "@/lib/db/sql";

// The run path's plain SQL (lib/db/sql.ts): typed rows, named statements, and
// transactions that either commit whole or leave nothing.

describe("plain SQL on the app's pool", () => {
  it("returns BIGINT as bigint (money), timestamps as Date and json parsed", async () => {
    const [row] = await sql.query<{ big: bigint; at: Date; doc: { a: number } }>(`SELECT 9007199254740993::bigint AS big, now() AS at, '{"a":1}'::jsonb AS doc`);
    expect(row!.big).toBe(9_007_199_254_740_993n);
    expect(row!.at).toBeInstanceOf(Date);
    expect(row!.doc).toEqual({ a: 1 });
  });

  it("reads a timestamp without time zone (how Prisma stores DateTime) as UTC, whatever the process's zone", async () => {
    const [row] = await sql.query<{ at: Date }>(`SELECT '2026-11-30 12:34:56.789'::timestamp(3) AS at`);
    expect(row!.at.toISOString()).toBe("2026-11-30T12:34:56.789Z");
  });

  it("prepares a statement once per connection and reuses it", async () => {
    const names = await sqlTransaction(async (tx) => {
      await tx.query("SELECT $1::int AS n", [1]);
      await tx.query("SELECT $1::int AS n", [2]);
      return tx.query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE statement = 'SELECT $1::int AS n'");
    });
    expect(names).toHaveLength(1);
    expect(names[0]!.name).toMatch(/^agora_/);
  });

  it("rolls a transaction back whole when its function throws, and rethrows", async () => {
    const table = `sql_test_${process.pid}_${Date.now()}`;
    await sql.query(`CREATE TABLE ${table} (n int)`);
    try {
      const failed = sqlTransaction(async (tx) => {
        await tx.query(`INSERT INTO ${table} VALUES (1)`);
        throw new Error("refused");
      });
      await expect(failed).rejects.toThrow("refused");
      await sqlTransaction((tx) => tx.query(`INSERT INTO ${table} VALUES (2)`));
      expect(await sql.query<{ n: number }>(`SELECT n FROM ${table}`)).toEqual([{ n: 2 }]);
    } finally {
      await sql.query(`DROP TABLE ${table}`);
    }
  });
});
