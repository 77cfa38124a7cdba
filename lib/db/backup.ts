import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import { Readable, Writable } from "node:stream";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { applyMigrations, readMigrationList } from "./schema-engine";

// Logical backups (issue 8) that work with the embedded PostgreSQL and with any
// DATABASE_URL. Not pg_dump: the embedded server is PostgreSQL 18 and this
// machine's pg_dump (Debian 12) is 15, which refuses newer servers. The file is
// gzip'd: one JSON header line (format, time, migrations, tables, row counts),
// then for each table a header line and its rows in COPY text format, read in
// one REPEATABLE READ snapshot so the backup is consistent. Restore applies our
// migrations to an empty database and COPYs the rows back in foreign-key order.

const FORMAT = "agora-backup/1";
/** Tables whose rows are not worth keeping: rate-limit counters (unlogged, short-lived). */
const SKIPPED = new Set(["RateLimit", "_prisma_migrations"]);

type Header = { format: string; createdAt: string; migrations: string[]; tables: { name: string; rows: number }[] };

/** User tables in an order where each comes after the tables it references. */
async function tablesInDependencyOrder(client: pg.ClientBase): Promise<string[]> {
  const { rows: tables } = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const { rows: deps } = await client.query<{ child: string; parent: string }>(`
    SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
    FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`);
  const strip = (t: string) => t.replace(/^"|"$/g, "");
  const parents = new Map<string, Set<string>>(tables.map((t) => [t.name, new Set()]));
  for (const d of deps) if (strip(d.child) !== strip(d.parent)) parents.get(strip(d.child))?.add(strip(d.parent));
  const ordered: string[] = [];
  const visit = (t: string, seen = new Set<string>()) => {
    if (ordered.includes(t) || seen.has(t)) return;
    seen.add(t);
    for (const p of parents.get(t) ?? []) visit(p, seen);
    ordered.push(t);
  };
  for (const t of tables) visit(t.name);
  return ordered.filter((t) => !SKIPPED.has(t));
}

const line = (value: unknown) => Buffer.from(JSON.stringify(value) + "\n");

/** Writes a consistent backup of `databaseUrl` to `file` (via a temporary file, renamed when complete). */
export async function backupDatabase(databaseUrl: string, file: string): Promise<Header> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const partial = `${file}.partial`;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const tables = await tablesInDependencyOrder(client);
    const counts: Header["tables"] = [];
    for (const name of tables) counts.push({ name, rows: Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`)).rows[0]!.n) });
    const applied = await client.query<{ migration_name: string }>(`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`);
    const header: Header = { format: FORMAT, createdAt: new Date().toISOString(), migrations: applied.rows.map((r) => r.migration_name), tables: counts };
    const gzip = createGzip();
    const done = pipeline(gzip, createWriteStream(partial, { mode: 0o600 }));
    const write = (chunk: Buffer) => new Promise<void>((resolve, reject) => (gzip.write(chunk, (err) => (err ? reject(err) : resolve()))));
    await write(line(header));
    for (const { name, rows } of counts) {
      await write(line({ table: name, rows }));
      // Rows end with "\n" in COPY text format; a table's section ends with the COPY terminator.
      const stream = client.query(copyTo(`COPY "${name}" TO STDOUT`));
      for await (const chunk of stream as AsyncIterable<Buffer>) await write(chunk);
      await write(Buffer.from("\\.\n"));
    }
    gzip.end();
    await done;
    await client.query("COMMIT");
    await rename(partial, file);
    return header;
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  } finally {
    await client.end();
  }
}

/** Splits the decompressed backup into its header and per-table row streams, in order. */
async function* sections(file: string): AsyncGenerator<{ header: Header } | { table: string; rows: number; data: Buffer[] }> {
  const input = createReadStream(file).pipe(createGunzip());
  let buffer = Buffer.alloc(0);
  let current: { table: string; rows: number; data: Buffer[] } | null = null;
  let header: Header | null = null;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    buffer = Buffer.concat([buffer, chunk]);
    let nl: number;
    while ((nl = buffer.indexOf(10)) >= 0) {
      const row = buffer.subarray(0, nl + 1);
      buffer = buffer.subarray(nl + 1);
      if (!header) {
        header = JSON.parse(row.toString("utf8")) as Header;
        if (header.format !== FORMAT) throw new Error(`Not an Agora backup (format ${header.format}).`);
        yield { header };
      } else if (!current) {
        const meta = JSON.parse(row.toString("utf8")) as { table: string; rows: number };
        current = { ...meta, data: [] };
      } else if (row.length === 3 && row.toString() === "\\.\n") {
        yield current;
        current = null;
      } else {
        current.data.push(Buffer.from(row));
      }
    }
  }
  if (current || !header) throw new Error("The backup file is truncated.");
}

/** Restores `file` into `databaseUrl`, which must hold no Agora tables yet (or pass `wipe` to drop them first). */
export async function restoreDatabase(databaseUrl: string, file: string, opts: { wipe?: boolean } = {}): Promise<Header> {
  await stat(file);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const existing = await client.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'Workspace'`);
    if (existing.rowCount) {
      if (!opts.wipe) throw new Error("The target database already has Agora's tables: restore into an empty database, or pass --wipe to replace everything in it.");
      await client.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    }
    const it = sections(file);
    const first = await it.next();
    const header = (first.value as { header: Header }).header;
    const known = (await readMigrationList()).migrationDirectories.map((d) => d.path);
    const unknown = header.migrations.filter((m) => !known.includes(m));
    if (unknown.length) throw new Error(`The backup comes from a newer version of Agora (migrations ${unknown.join(", ")}); restore it with that version.`);
    await applyMigrations(databaseUrl);
    await client.query("BEGIN");
    // Rows arrive in dependency order; the seed's rows (tiers, prices, packages) are replaced by the backup's.
    for (const t of [...header.tables].reverse()) await client.query(`DELETE FROM "${t.name}"`);
    for await (const section of it) {
      if (!("table" in section)) continue;
      // Rows a trigger made while earlier tables were copied in (the catalog's entries, from the packages) give way to the backup's own.
      await client.query(`DELETE FROM "${section.table}"`);
      const sink = client.query(copyFrom(`COPY "${section.table}" FROM STDIN`)) as unknown as Writable;
      await pipeline(Readable.from(section.data), sink);
    }
    await client.query("COMMIT");
    return header;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}

/** Keeps the newest `keep` backups in `dir` (by name: they are timestamped), deleting older ones. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => /^agora-\d{8}T\d{6}Z\.backup\.gz$/.test(f)).sort();
  const old = files.slice(0, Math.max(0, files.length - keep));
  for (const f of old) await rm(path.join(dir, f));
  return old;
}

export async function backupFileName(dir: string, at = new Date()): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return path.join(dir, `agora-${at.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}.backup.gz`);
}
