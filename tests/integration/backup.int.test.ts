import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { backupDatabase, backupFileName, pruneBackups, restoreDatabase } from "@/lib/db/backup";
import { dropDatabase, ensureDatabase } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/schema-engine";
import { seed } from "@/lib/db/seed";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { checkLedgerInvariants } from "@/lib/ledger/invariants";
import { hold, postHold, SYSTEM_ACCOUNTS, transfer, voidHold, walletFor } from "@/lib/ledger/ledger";
import { createPersonalWorkspace } from "@/lib/workspaces/create-personal-workspace";

// Backup → wipe → restore (issue 8) on databases of this test's own, so the
// comparison is exact: every table's rows and every ledger balance come back.

const adminUrl = inject("adminDatabaseUrl");
const names = [`agora_bk_src_${process.pid}`, `agora_bk_dst_${process.pid}`];
const urlOf = (name: string) => adminUrl.replace(/\/[^/?]+(\?|$)/, `/${name}$1`);
const clients: PrismaClient[] = [];
const client = (url: string) => {
  const c = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }) });
  clients.push(c);
  return c;
};
let dir: string;
afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
  for (const n of names) await dropDatabase(adminUrl, n).catch(() => undefined);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function snapshot(db: PrismaClient) {
  const tables = await db.$queryRaw<{ name: string }[]>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('RateLimit', '_prisma_migrations') ORDER BY 1`;
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = Number((await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${name}"`))[0]!.n);
  const balances = await db.ledgerAccount.findMany({ orderBy: { id: "asc" }, select: { id: true, postedMicros: true, pendingDebitsMicros: true, pendingCreditsMicros: true } });
  const transfers = await db.transfer.findMany({ orderBy: { id: "asc" } });
  return { counts, balances, transfers };
}

describe("db:backup and db:restore", () => {
  it("backup → wipe → restore yields identical row counts, ledger balances and transfers", async () => {
    const [srcName, dstName] = names as [string, string];
    for (const n of names) await ensureDatabase(adminUrl, n);
    await applyMigrations(urlOf(srcName));
    const src = client(urlOf(srcName));
    await seed(src, { demo: false, demoPassword: "unused-demo", adminPassword: "unused-admin" });
    // Three customers with a history: sign-up credits, a grant, a posted hold, a voided hold, a pending hold, a text with a tab and a newline.
    for (const i of [1, 2, 3]) {
      await src.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { email: `bk-${i}@test.agora.dev`, name: `Back\tup ${i}\nline two` } });
        const w = await createPersonalWorkspace(tx, { userId: user.id, name: `Backup ${i}` });
        const wallet = await walletFor(tx, w.id);
        await transfer(tx, { debit: SYSTEM_ACCOUNTS.promotions, credit: wallet, amount: BigInt(i) * 1_000_000n, reason: "admin_grant", idempotencyKey: randomUUID(), workspaceId: w.id, memo: "a \\ backslash" });
        const expiresAt = new Date(Date.now() + 3_600_000);
        const h1 = await hold(tx, { debit: wallet, credit: SYSTEM_ACCOUNTS.revenue, amount: 500_000n, reason: "correction", idempotencyKey: randomUUID(), workspaceId: w.id, expiresAt });
        await postHold(tx, h1, 123_456n);
        const h2 = await hold(tx, { debit: wallet, credit: SYSTEM_ACCOUNTS.revenue, amount: 100_000n, reason: "correction", idempotencyKey: randomUUID(), workspaceId: w.id, expiresAt });
        await voidHold(tx, h2);
        await hold(tx, { debit: wallet, credit: SYSTEM_ACCOUNTS.revenue, amount: 7_000n, reason: "correction", idempotencyKey: randomUUID(), workspaceId: w.id, expiresAt });
      });
    }
    const before = await snapshot(src);
    expect(before.counts.Transfer).toBeGreaterThan(10);

    dir = await mkdtemp(path.join(tmpdir(), "agora-backups-"));
    const file = await backupFileName(dir);
    const header = await backupDatabase(urlOf(srcName), file);
    expect(Object.fromEntries(header.tables.map((t) => [t.name, t.rows]))).toEqual(before.counts);

    // Into an empty database.
    await restoreDatabase(urlOf(dstName), file);
    const dst = client(urlOf(dstName));
    expect(await snapshot(dst)).toEqual(before);
    expect(await checkLedgerInvariants(dst)).toEqual([]);
    expect((await dst.user.findFirstOrThrow({ where: { email: "bk-2@test.agora.dev" } })).name).toBe("Back\tup 2\nline two");

    // A database that changed since: refused unless --wipe, then exactly the backup again.
    await dst.workspace.updateMany({ data: { name: "changed" } });
    await expect(restoreDatabase(urlOf(dstName), file)).rejects.toThrow(/--wipe/);
    await restoreDatabase(urlOf(dstName), file, { wipe: true });
    const dst2 = client(urlOf(dstName));
    expect(await snapshot(dst2)).toEqual(before);
  });

  it("a truncated or foreign file is refused; old backups are pruned by name", async () => {
    dir ??= await mkdtemp(path.join(tmpdir(), "agora-backups-"));
    const bogus = path.join(dir, "bogus.gz");
    await writeFile(bogus, "not gzip");
    await ensureDatabase(adminUrl, `agora_bk_x_${process.pid}`);
    names.push(`agora_bk_x_${process.pid}`);
    await expect(restoreDatabase(urlOf(`agora_bk_x_${process.pid}`), bogus)).rejects.toThrow();
    for (const stamp of ["20260101T000000Z", "20260102T000000Z", "20260103T000000Z"]) await writeFile(path.join(dir, `agora-${stamp}.backup.gz`), "");
    const removed = await pruneBackups(dir, 2);
    expect(removed.length).toBeGreaterThanOrEqual(1);
    const left = (await readdir(dir)).filter((f) => f.startsWith("agora-"));
    expect(left).toHaveLength(2);
  });
});
