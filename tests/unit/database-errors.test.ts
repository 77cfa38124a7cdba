import net from "node:net";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { createPool } from "@/lib/db/pool";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { errorHeaders, toApiError } from "@/lib/http/errors";
import { callRoute, sessionCookie } from "../helpers/call-route";

// Every way PostgreSQL can be out of reach — the errors the real pg, pg-pool and
// Prisma-over-adapter produce, with or without a code — is a 503 with Retry-After.

/** A TCP server on a port the OS picks, doing `onConnection` to each client. */
async function tcpServer(onConnection: (socket: net.Socket) => void) {
  const server = net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `postgresql://agora:x@127.0.0.1:${(server.address() as net.AddressInfo).port}/agora` };
}

const dropping = await tcpServer((s) => s.destroy()); // accepts, then hangs up: "Connection terminated unexpectedly"
const resetting = await tcpServer((s) => s.resetAndDestroy()); // answers with a TCP reset: ECONNRESET
const silent = await tcpServer(() => {}); // accepts and never speaks: connection timeouts
const closed = await tcpServer(() => {});
await new Promise((resolve) => closed.server.close(resolve)); // nobody listens any more: ECONNREFUSED

// The app's own client (lib/db) points at the dropping server for the route test below.
process.env.DATABASE_URL = dropping.url;

const pools: pg.Pool[] = [];
const pool = (url: string, opts: pg.PoolConfig = {}) => {
  // As the app's pools do (lib/db/pool.ts): a connection the fake server drops while idle is an 'error' on the
  // pool, and one nobody listens to is an uncaught exception that fails the run after every test passed.
  const p = createPool({ connectionString: url, ...opts }, "database-errors test");
  pools.push(p);
  return p;
};
const failure = (p: Promise<unknown>) => p.then(() => expect.fail("expected the query to fail"), (e: unknown) => e);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  for (const s of [dropping, resetting, silent]) s.server.close();
});

const unavailable = { code: "service_unavailable", status: 503 };

describe("toApiError with the database out of reach", () => {
  it("pg's 'Connection terminated unexpectedly' (no code) is a 503", async () => {
    const err = await failure(pool(dropping.url).query("SELECT 1"));
    expect(err).toMatchObject({ message: "Connection terminated unexpectedly" });
    expect((err as { code?: unknown }).code).toBeUndefined();
    expect(toApiError(err)).toMatchObject(unavailable);
  });

  it("a refused and a reset connection (ECONNREFUSED, ECONNRESET) are 503s", async () => {
    const refused = await failure(pool(closed.url).query("SELECT 1"));
    expect(refused).toMatchObject({ code: "ECONNREFUSED" });
    const reset = await failure(pool(resetting.url).query("SELECT 1"));
    expect(reset).toMatchObject({ code: "ECONNRESET" });
    for (const err of [refused, reset]) expect(toApiError(err)).toMatchObject(unavailable);
  });

  it("pg-pool's connection timeouts — its own, and waiting for a free client — are 503s", async () => {
    const p = pool(silent.url, { max: 1, connectionTimeoutMillis: 200 });
    const [connecting, waiting] = await Promise.all([failure(p.query("SELECT 1")), failure(p.query("SELECT 1"))]);
    expect(connecting).toMatchObject({ message: "Connection terminated due to connection timeout" });
    expect(waiting).toMatchObject({ message: "timeout exceeded when trying to connect" });
    for (const err of [connecting, waiting]) expect(toApiError(err)).toMatchObject(unavailable);
  });

  it("Prisma over the pg adapter, in a query, a raw query and a transaction, is a 503", async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: dropping.url }) });
    const errors = await Promise.all([failure(prisma.user.count()), failure(prisma.$queryRaw`SELECT 1`), failure(prisma.$transaction((tx) => tx.user.count()))]);
    for (const err of errors) expect(toApiError(err)).toMatchObject(unavailable);
    await prisma.$disconnect();
  });

  it("Prisma giving up on starting a transaction while the connection hangs (P2028) is a 503", async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: silent.url, connectionTimeoutMillis: 5_000 }) });
    const err = await failure(prisma.$transaction((tx) => tx.user.count(), { maxWait: 100 }));
    expect(err).toMatchObject({ code: "P2028", message: expect.stringContaining("Unable to start a transaction in the given time") });
    expect(toApiError(err)).toMatchObject(unavailable);
    await prisma.$disconnect();
  });

  it("a transaction that outlived its timeout waiting on the database (P2028, rolled back) is a 503", async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: inject("databaseUrl") }) });
    // Another session holds a lock the transaction waits for, as a query stuck on a restarting database
    // would wait; it lets go once the database shows the transaction waiting longer than its 50 ms timeout.
    const holder = new pg.Client({ connectionString: inject("databaseUrl") });
    await holder.connect();
    const key = Math.floor(Math.random() * 2 ** 31);
    await holder.query("SELECT pg_advisory_lock($1)", [key]);
    let pid: number | undefined;
    const tx = prisma.$transaction(
      async (t) => {
        pid = (await t.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid;
        await t.$queryRaw`SELECT pg_advisory_xact_lock(${key})`.catch(() => undefined); // cut short when the transaction expires
        return t.user.count(); // the next query finds the transaction expired
      },
      { timeout: 50 },
    );
    // Its rejection is taken at once: on a busy machine the 50 ms can run out before the wait below ends.
    const failed = failure(tx);
    await vi.waitFor(
      async () => {
        const { rows } = await holder.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock' AND now() - query_start > interval '200 milliseconds'", [pid ?? -1]);
        expect(rows[0]!.n).toBe(1);
      },
      { timeout: 10_000, interval: 20 },
    );
    await holder.query("SELECT pg_advisory_unlock($1)", [key]);
    const err = await failed;
    expect(err).toMatchObject({ code: "P2028", message: expect.stringContaining("expired transaction") });
    expect(toApiError(err)).toMatchObject(unavailable);
    await holder.end();
    await prisma.$disconnect();
  });

  it("a connection error wrapped in `cause`, or a broken pipe, is a 503; an unrelated error stays a 500", () => {
    const pipe = Object.assign(new Error("write EPIPE"), { code: "EPIPE", syscall: "write" });
    expect(toApiError(pipe)).toMatchObject(unavailable);
    expect(toApiError(new Error("could not load the workspace", { cause: new Error("Connection terminated unexpectedly") }))).toMatchObject(unavailable);
    expect(toApiError(new Error("could not load the workspace", { cause: new Error("boom") }))).toMatchObject({ status: 500 });
    expect(toApiError(new TypeError("Cannot read properties of undefined"))).toMatchObject({ status: 500 });
  });

  it("a 503 says when to retry; a 400 or a 500 does not", () => {
    expect(errorHeaders(toApiError(new Error("Connection terminated unexpectedly")))).toEqual({ "Retry-After": "2" });
    expect(errorHeaders(toApiError(new Error("boom")))).toEqual({});
  });
});

describe("a route with the database out of reach", () => {
  it("answers 503 service_unavailable with Retry-After, not 500", async () => {
    const res = await callRoute(meRoute, { path: "/api/v1/me", headers: { cookie: await sessionCookie("user-of-a-dropped-database") } });
    expect(res.status).toBe(503);
    expect(res.body?.error.code).toBe("service_unavailable");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
