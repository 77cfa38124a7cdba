// npm run db:restore -- <file> [--wipe] — restores a backup made by `npm run db:backup` into the
// database (the embedded one, or DATABASE_URL). The target must be empty, or pass --wipe to
// replace everything in it. Stop the app first.
import { restoreDatabase } from "../lib/db/backup";
import { localDatabase } from "../lib/db/local-database";

const file = process.argv.slice(2).find((a) => !a.startsWith("--"));
if (!file) {
  console.error("usage: npm run db:restore -- <backup file> [--wipe]");
  process.exit(2);
}
const db = await localDatabase(process.env, () => {});
try {
  const header = await restoreDatabase(db.url, file, { wipe: process.argv.includes("--wipe") });
  console.log(`Restored ${header.tables.length} tables (${header.tables.reduce((n, t) => n + t.rows, 0).toLocaleString("en")} rows) from the backup of ${header.createdAt}.`);
} catch (err) {
  console.error(`Restore failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.server?.stop();
}
