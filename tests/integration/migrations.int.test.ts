import { randomUUID } from "node:crypto";
import { inject, describe, expect, it, vi } from "vitest";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { dropDatabase, ensureDatabase } from "@/lib/db/embedded";
import { applyMigrations, diffSchemas, lastMigratedSchema, readSchema } from "@/lib/db/schema-engine";
import { prepareDatabase } from "@/lib/db/prepare-database";
import { seed } from "@/lib/db/seed";
import { verifyPassword } from "@/lib/auth/password";

async function freshDatabase() {
  const admin = inject("adminDatabaseUrl");
  const name = `agora_mig_${randomUUID().slice(0, 8)}`;
  await ensureDatabase(admin, name);
  const url = admin.replace(/\/postgres$/, `/${name}`);
  return { url, drop: () => dropDatabase(admin, name) };
}

/** A migrated empty database and a client on it, for one test; dropped afterwards. */
async function withMigratedDatabase(fn: (client: PrismaClient, url: string) => Promise<void>) {
  const db = await freshDatabase();
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url, max: 2 }) });
  try {
    await applyMigrations(db.url);
    await fn(client, db.url);
  } finally {
    await client.$disconnect();
    await db.drop();
  }
}

/** Every row of every table, in a stable order: two equal snapshots mean nothing changed. */
async function snapshot(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const out: Record<string, unknown[]> = {};
    for (const { t } of tables) {
      out[t] = (await client.query(`SELECT * FROM "${t}" ORDER BY 1`)).rows;
    }
    return out;
  } finally {
    await client.end();
  }
}

/** What Prisma models: columns, indexes, primary/unique/foreign keys, enums (not hand-written CHECKs, triggers or partial indexes). */
async function catalog(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY 1, 2`),
      indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' AND indexdef NOT LIKE '% WHERE %' ORDER BY 1, 2`),
      constraints: await q(`SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u', 'f') AND conrelid::regclass::text <> '_prisma_migrations' ORDER BY 1, 2`),
      enums: await q(`SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid ORDER BY 1, e.enumsortorder`),
    };
  } finally {
    await client.end();
  }
}

describe("database migrations", () => {
  it("the newest migration was made from the current prisma/schema.prisma", async () => {
    expect(await diffSchemas(await lastMigratedSchema(), await readSchema(), inject("databaseUrl"))).toBe("");
  });

  it("a database built by the migrations has exactly the tables, columns, indexes and keys the schema describes", async () => {
    const migrated = await freshDatabase();
    const fromSchema = await freshDatabase();
    try {
      await applyMigrations(migrated.url);
      const sql = await diffSchemas(null, await readSchema(), fromSchema.url);
      const client = new pg.Client({ connectionString: fromSchema.url });
      await client.connect();
      await client.query(sql);
      await client.end();
      expect(await catalog(migrated.url)).toEqual(await catalog(fromSchema.url));
    } finally {
      await migrated.drop();
      await fromSchema.drop();
    }
  });

  it("applies to an empty database once, and is a no-op the second time", async () => {
    const db = await freshDatabase();
    try {
      expect((await applyMigrations(db.url)).length).toBeGreaterThan(0);
      // The engine's connections are closed when it returns: none is left holding its
      // migration lock, which would make the next migrator (another instance) wait.
      // (A closed connection's backend can take a moment to leave pg_stat_activity on a busy machine: waited for, not slept.)
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        await vi.waitFor(async () => {
          const others = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
          const locks = await client.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
          expect([others.rows[0].n, locks.rows[0].n]).toEqual([0, 0]);
        }, { timeout: 5_000, interval: 50 });
      } finally {
        await client.end();
      }
      expect(await applyMigrations(db.url)).toEqual([]);
    } finally {
      await db.drop();
    }
  });

  it("instances starting together take turns (prepareDatabase): one applies every migration, the others none, and the seed runs cleanly", async () => {
    const db = await freshDatabase();
    try {
      const results = await Promise.all([1, 2, 3].map(() => prepareDatabase(db.url)));
      const counts = results.map((r) => r.applied.length).sort((a, b) => a - b);
      expect(counts.slice(0, 2)).toEqual([0, 0]);
      expect(counts[2]).toBeGreaterThan(0);
      const rows = await snapshot(db.url);
      expect(rows._prisma_migrations).toHaveLength(counts[2]!);
      expect(rows.Tier).toHaveLength(4);
    } finally {
      await db.drop();
    }
  }, 90_000);
});

describe("seed", () => {
  it("is idempotent: running it twice changes nothing", async () => {
    await withMigratedDatabase(async (client, url) => {
      const options = { demo: true, demoPassword: "agora-demo", adminPassword: "agora-admin" };
      await seed(client, options);
      const first = await snapshot(url);
      await seed(client, options);
      expect(await snapshot(url)).toEqual(first);

      expect(first.Tier).toHaveLength(4);
      const users = first.User as { email: string; isAdmin: boolean; emailVerified: unknown }[];
      expect(users.map((u) => [u.email, u.isAdmin]).sort()).toEqual([
        ["admin@agora.dev", true],
        ["demo@agora.dev", false],
      ]);
      // Seeded addresses are known: verified, with their starting credit (no banner asking for a link).
      for (const u of users) expect(u.emailVerified).toBeTruthy();
      const demo = (first.Workspace as { id: string; name: string; tierCode: string }[]).find((w) => w.name === "Demo")!;
      expect(demo.tierCode).toBe("basic");
      // SPEC §12: the Demo workspace starts with $25 of credits.
      expect((first.LedgerAccount as { workspaceId: string | null; postedMicros: bigint | string }[]).find((a) => a.workspaceId === demo.id)?.postedMicros.toString()).toBe("25000000");
    });
  });

  it("creates the AGORA_ADMIN_EMAIL admin once, with its password; later it is theirs: a changed password in the environment, or a demotion, stands", async () => {
    await withMigratedDatabase(async (client) => {
      const options = { demo: false, demoPassword: "x".repeat(10), adminPassword: "y".repeat(10), bootstrapAdmin: { email: "Ops@Example.com", password: "first admin passphrase" } };
      await seed(client, options);
      const admin = await client.user.findUniqueOrThrow({ where: { email: "ops@example.com" }, include: { memberships: true } });
      expect(admin.isAdmin).toBe(true);
      expect(admin.memberships).toHaveLength(1); // a personal workspace, like any account
      expect(await verifyPassword(admin.passwordHash, "first admin passphrase")).toBe(true);
      expect(await client.user.count({ where: { email: { in: ["admin@agora.dev", "demo@agora.dev"] } } })).toBe(0);

      await client.user.update({ where: { id: admin.id }, data: { isAdmin: false } });
      await seed(client, { ...options, bootstrapAdmin: { email: "ops@example.com", password: "another passphrase" } });
      const after = await client.user.findUniqueOrThrow({ where: { id: admin.id } });
      expect(after.isAdmin).toBe(false);
      expect(await verifyPassword(after.passwordHash, "first admin passphrase")).toBe(true);
      expect(await client.user.count()).toBe(1);
    });
  });

  it("keeps tier edits made by admins", async () => {
    await withMigratedDatabase(async (client) => {
      const options = { demo: false, demoPassword: "x".repeat(10), adminPassword: "y".repeat(10) };
      await seed(client, options);
      await client.tier.update({ where: { code: "free" }, data: { requestsPerMinute: 42 } });
      await seed(client, options);
      expect((await client.tier.findUniqueOrThrow({ where: { code: "free" } })).requestsPerMinute).toBe(42);
    });
  });
});
