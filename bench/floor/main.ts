// The floor server as its own process (bench/run-overhead.ts measures its CPU):
// DATABASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, PORT (0 = any), AGORA_DB_POOL_MAX.
// Prints `listening <url>` once it accepts connections.
import { startFloorServer } from "./server";

const floor = await startFloorServer({
  databaseUrl: process.env.DATABASE_URL!,
  anthropic: { apiKey: process.env.ANTHROPIC_API_KEY!, baseURL: process.env.ANTHROPIC_BASE_URL! },
  port: Number(process.env.PORT ?? 0),
  poolMax: Number(process.env.AGORA_DB_POOL_MAX ?? 20),
});
process.stdout.write(`listening ${floor.url}\n`);
process.once("SIGTERM", () => void floor.close().then(() => process.exit(0)));
