import { db } from "@/lib/db/client";
import { readMigrationList } from "@/lib/db/schema-engine";
import { shuttingDown } from "@/lib/runs/shutdown";

// The committed migrations cannot change while the process runs: list them once,
// not on every probe.
let committed: Promise<string[]> | undefined;
const committedMigrations = () => (committed ??= readMigrationList().then((l) => l.migrationDirectories.map((d) => d.path)));

/** Ready = not shutting down, the database answers and every committed migration is applied. */
export async function readiness() {
  if (shuttingDown()) return { ready: false, shuttingDown: true, database: { ok: true, latencyMs: null }, migrations: { applied: 0, pending: [] as string[] } };
  const started = performance.now();
  try {
    const applied = await db.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const names = new Set(applied.map((r) => r.migration_name));
    const pending = (await committedMigrations()).filter((p) => !names.has(p));
    return { ready: pending.length === 0, database: { ok: true, latencyMs }, migrations: { applied: names.size, pending } };
  } catch {
    return { ready: false, database: { ok: false, latencyMs: null }, migrations: { applied: 0, pending: [] as string[] } };
  }
}
