import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createPool } from "@/lib/db/pool";

// PostgreSQL drops a connection (a restart, an admin's pg_terminate_backend) while
// the app holds it between two queries: pg emits 'error' on that client, and an
// 'error' nobody listens to kills the process. The chaos test found it under CPU
// contention; here it is made to happen on purpose.

const pool = createPool({ connectionString: process.env.DATABASE_URL, max: 2 }, "test pool");
const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
afterAll(async () => {
  await pool.end();
  await admin.end();
});

describe("a pooled connection dropped while checked out", () => {
  it("is reported, not thrown: the process lives on, the next query on the pool works", async () => {
    await admin.connect();
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const ended = new Promise((r) => client.once("end", r));
    // No query is running on `client` now: the termination arrives as an 'error' event on it.
    await admin.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid]);
    await ended;
    expect(client.listenerCount("error")).toBeGreaterThan(0);
    client.release(new Error("connection lost"));
    await vi.waitFor(() => expect(pool.totalCount).toBe(0), { timeout: 10_000, interval: 20 });
    expect((await pool.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
  });
});
