import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

// Prisma's CLI downloads a native schema engine at run time, which this project
// cannot rely on (offline machines, CI). The same engine ships as WebAssembly in
// @prisma/schema-engine-wasm; we drive it directly. It keeps `_prisma_migrations`
// exactly as `prisma migrate deploy` does.

type JsResult<T> = { tag: "ok"; value: T } | { tag: "error"; value: string };
type MigrationList = {
  baseDir: string;
  lockfile: { path: string; content: string | null };
  shadowDbInitScript: string;
  migrationDirectories: { path: string; migrationFile: { path: string; content: JsResult<string> } }[];
};
type DiffTarget = { tag: "empty" } | { tag: "schemaDatamodel"; files: { path: string; content: string }[] };
const noFilters = { externalTables: [], externalEnums: [] };

interface WasmSchemaEngine {
  applyMigrations(input: { migrationsList: MigrationList; filters: typeof noFilters }): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: { from: DiffTarget; to: DiffTarget; script: boolean; exitCode: null; filters: typeof noFilters }): Promise<{ stdout: string; exitCode: number }>;
  free(): void;
}

export const projectRoot = process.cwd();
export const prismaDir = path.join(projectRoot, "prisma");
export const migrationsDir = path.join(prismaDir, "migrations");

type EngineModule = { SchemaEngine: { new: (o: object, log: (m: string) => void, adapter: object) => Promise<WasmSchemaEngine> } };
let engineModule: Promise<EngineModule> | undefined;

function loadEngineModule() {
  engineModule ??= (async () => {
    // Node 20 cannot import .wasm; instantiate by hand, as wasm-bindgen's own loader would.
    const require = createRequire(path.join(projectRoot, "package.json"));
    const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    // By package name, not path: Next's bundler leaves an external package's import to Node (serverExternalPackages).
    const bg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(pkgDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg as unknown as EngineModule; // the calls we make, typed as we make them
  })();
  return engineModule;
}

type ScriptAdapter = { executeScript(script: string): Promise<void>; underlyingDriver(): { query(sql: string): Promise<unknown> } };

/**
 * adapter-pg runs a migration script by splitting it on ";", which breaks
 * dollar-quoted function bodies. PostgreSQL's simple-query protocol runs the
 * whole script at once, in one implicit transaction, so a migration is atomic.
 */
class WholeScriptPg extends PrismaPg {
  private readonly connected: { dispose(): Promise<void> }[] = [];
  private wrap<A extends { dispose(): Promise<void> }>(adapter: A): A {
    this.connected.push(adapter);
    const a = adapter as unknown as ScriptAdapter & { onError(e: unknown): never };
    a.executeScript = async (script) => {
      try {
        await a.underlyingDriver().query(script);
      } catch (err) {
        a.onError(err);
      }
    };
    return adapter;
  }
  override async connect() {
    return this.wrap(await super.connect());
  }
  /**
   * The engine's free() leaves the pool open, and an idle connection keeps the
   * engine's migration advisory lock until pg drops it (10 s later): the next
   * migrator, in this process or another, would wait for it.
   */
  async disposeAll() {
    await Promise.all(this.connected.splice(0).map((a) => a.dispose()));
  }
}

export const readSchema = () => readFile(path.join(prismaDir, "schema.prisma"), "utf8");

export async function withSchemaEngine<T>(databaseUrl: string, fn: (engine: WasmSchemaEngine) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const schema = await readSchema();
  const pg = new WholeScriptPg({ connectionString: databaseUrl, max: 2 });
  const engine = await SchemaEngine.new({ datamodels: [["schema.prisma", schema]] }, () => {}, bindMigrationAwareSqlAdapterFactory(pg));
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await pg.disposeAll();
  }
}

export async function readMigrationList(): Promise<MigrationList> {
  const entries = (await readdir(migrationsDir, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    entries.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8") },
      },
    })),
  );
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: await readFile(lockPath, "utf8").catch(() => null) },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** Applies every pending committed migration; returns the names applied. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const migrationsList = await readMigrationList();
  const result = await withSchemaEngine(databaseUrl, (engine) => engine.applyMigrations({ migrationsList, filters: noFilters }));
  return result.appliedMigrationNames;
}

/**
 * SQL from one datamodel to another ("" when they agree). Datamodel-to-datamodel
 * needs no database: the engine's live introspection does not work through
 * adapter-pg (it cannot read pg_catalog's "char" columns).
 */
export async function diffSchemas(fromSchema: string | null, toSchema: string, databaseUrl: string): Promise<string> {
  const target = (content: string): DiffTarget => ({ tag: "schemaDatamodel", files: [{ path: "schema.prisma", content }] });
  const result = await withSchemaEngine(databaseUrl, (engine) =>
    engine.diff({
      from: fromSchema === null ? { tag: "empty" } : target(fromSchema),
      to: target(toSchema),
      script: true,
      exitCode: null,
      filters: noFilters,
    }),
  );
  return result.stdout.replace(/^-- This is an empty migration\.\s*$/m, "").trim();
}


/** The schema the newest migration was generated from (kept beside its SQL), or null. */
export async function lastMigratedSchema(): Promise<string | null> {
  const { migrationDirectories } = await readMigrationList();
  const last = migrationDirectories.at(-1);
  return last ? readFile(path.join(migrationsDir, last.path, "schema.prisma"), "utf8") : null;
}
