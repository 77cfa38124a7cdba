// npm run db:backup — a consistent backup of the database (the embedded one, or DATABASE_URL)
// into AGORA_BACKUP_DIR (default .data/backups) as agora-<UTC time>.backup.gz, keeping the
// newest AGORA_BACKUP_KEEP (default 14). See lib/db/backup.ts for the format.
import path from "node:path";
import { backupDatabase, backupFileName, pruneBackups } from "../lib/db/backup";
import { localDatabase, localDataDir } from "../lib/db/local-database";

const dir = path.resolve(process.env.AGORA_BACKUP_DIR ?? path.join(localDataDir(process.env), "backups"));
const keep = Number(process.env.AGORA_BACKUP_KEEP ?? 14);
const db = await localDatabase(process.env, () => {});
try {
  const file = await backupFileName(dir);
  const header = await backupDatabase(db.url, file);
  const rows = header.tables.reduce((n, t) => n + t.rows, 0);
  console.log(`Backed up ${header.tables.length} tables (${rows.toLocaleString("en")} rows) to ${path.relative(process.cwd(), file)}`);
  const removed = await pruneBackups(dir, keep);
  if (removed.length) console.log(`Removed ${removed.length} older backup(s), keeping ${keep}.`);
} finally {
  await db.server?.stop();
}
