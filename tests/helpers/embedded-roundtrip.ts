// Starts the embedded PostgreSQL in the given data directory, writes and reads a
// row, stops it. Run as another user by embedded-postgres.int.test.ts.
import pg from "pg";
import { freePort, startEmbeddedPostgres } from "../../lib/db/embedded";

const dataDir = process.argv[2]!;
const server = await startEmbeddedPostgres({ dataDir, port: await freePort() });
const client = new pg.Client({ connectionString: server.urlFor("postgres") });
await client.connect();
await client.query("CREATE TABLE IF NOT EXISTS roundtrip (n int)");
await client.query("INSERT INTO roundtrip VALUES (1)");
const { rows } = await client.query<{ c: string }>("SELECT count(*) AS c FROM roundtrip");
await client.end();
await server.stop();
console.log(`rows=${rows[0]!.c}`);
