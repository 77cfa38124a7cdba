// The floor (issue 18): the least a metered run must cost on this machine, to hold
// Agora's hot path against. A node:http server — no framework, no ORM, `pg` with
// named prepared statements on one pool — doing a run's durable work against
// Agora's own schema: look the key up by its hash (one indexed lookup), create the
// run with its wallet hold (one statement), call the model with exactly the
// request Agora's executor makes, settle (run status and usage, the hold posted,
// the model cost, the day's usage row: one statement), and stream the events.
// Same client protocol as Agora (bench/run-client.ts): POST /api/v1/runs, then
// SSE on /api/v1/runs/:id/events to the closing `usage` event — or, with
// "stream": true, the SSE in the POST's own response. Events live in
// memory only (Agora's transcript is durable); so do the package and model price
// rows, read once. Refuses what it does not do: only the packages below, no
// limits, budgets, idempotency keys, METERED workspaces, tools or second turns.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import pg from "pg";
import type { AgentPackageDefinition } from "../../lib/agents/define-package";
import { securityScanner } from "../../lib/agents/security-scanner/package";
import { hashApiKey } from "../../lib/auth/api-key-secret";
import { modelCostMicros } from "../../lib/llm/model-prices";
import { runPrice } from "../../lib/runs/money/price";
import { modelTools, systemPrompt, userMessage } from "../../lib/runs/prompt";
import { type FloorKey, type FloorModelPrice, type FloorPackage, floorStatements } from "./statements";
import { runStreams } from "./streams";

const packages: Record<string, AgentPackageDefinition> = { [securityScanner.slug]: securityScanner };
/** Model turns a run's hold covers (Agora's AGORA_HOLD_TURNS default). */
const HOLD_TURNS = 4;

export type FloorOptions = { databaseUrl: string; anthropic: { apiKey: string; baseURL: string }; port?: number; poolMax?: number };

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

export async function startFloorServer(opts: FloorOptions) {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolMax ?? 20 });
  const sql = floorStatements(pool);
  const sdk = new Anthropic({ ...opts.anthropic, maxRetries: 0 });
  const streams = runStreams();
  const known = new Map<string, { row: FloorPackage; def: AgentPackageDefinition; price: FloorModelPrice; overheadChars: number }>();

  async function packageFor(slug: unknown) {
    const def = typeof slug === "string" ? packages[slug] : undefined;
    if (!def) throw new Refusal(404, "not_found");
    let pkg = known.get(def.slug);
    if (!pkg) {
      const row = await sql.packageBySlug(def.slug);
      const price = row && (await sql.modelPrice(row.model));
      if (!row || !price) throw new Refusal(404, "not_found");
      known.set(def.slug, (pkg = { row, def, price, overheadChars: systemPrompt(def).length + JSON.stringify(modelTools(def)).length }));
    }
    return pkg;
  }

  async function authenticate(req: http.IncomingMessage): Promise<{ key: FloorKey; hash: string }> {
    const secret = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!secret) throw new Refusal(401, "unauthorized");
    const hash = hashApiKey(secret);
    const key = await sql.authenticate(hash);
    if (!key) throw new Refusal(401, "unauthorized");
    return { key, hash };
  }

  async function createRun(req: http.IncomingMessage, res: http.ServerResponse) {
    const { key, hash } = await authenticate(req);
    const body = JSON.parse(await readBody(req)) as { agent?: unknown; input?: unknown; stream?: unknown };
    const pkg = await packageFor(body.agent);
    const parsed = pkg.def.input.safeParse(body.input);
    if (!parsed.success) throw new Refusal(400, "validation_error");
    if (!key.walletId) throw new Refusal(402, "insufficient_credits");
    const terms = { baseFeeMicros: pkg.row.baseFeeMicros, priceMultiplierBps: key.priceMultiplierBps };
    // As lib/runs/accept-run.ts holdTerms + lib/runs/money/price.ts maxRunPrice.
    const promptTokens = Math.ceil((JSON.stringify(parsed.data).length + pkg.overheadChars) / 3);
    const maxOut = pkg.row.maxOutputTokens;
    const holdCost = modelCostMicros(pkg.price, { inputTokens: HOLD_TURNS * (promptTokens + maxOut), outputTokens: HOLD_TURNS * maxOut, cacheWriteTokens: 0, cacheReadTokens: 0 });
    const hold = { runId: randomUUID(), holdId: randomUUID(), holdMicros: runPrice("SUCCEEDED", holdCost, terms), walletId: key.walletId };
    if (!(await sql.accept({ ...hold, key, pkg: pkg.row, input: parsed.data }))) throw new Refusal(402, "insufficient_credits");
    streams.open(hold.runId, hash);
    const run = { id: hold.runId, status: "RUNNING" };
    if (body.stream === true) streams.serve(hold.runId, hash, req, res, run);
    else send(res, 201, run);
    execute(pkg, parsed.data, terms, hold).catch((err: unknown) => {
      console.error("floor: settling a run failed", err);
      streams.push(hold.runId, "error", { code: "internal", message: "The run could not be settled." });
      streams.push(hold.runId, "usage", {});
    });
  }

  async function execute(pkg: Awaited<ReturnType<typeof packageFor>>, input: unknown, terms: { baseFeeMicros: bigint; priceMultiplierBps: number }, hold: { runId: string; holdId: string; holdMicros: bigint; walletId: string }) {
    const { def, row } = pkg;
    streams.push(hold.runId, "status", { status: "RUNNING", provider: "anthropic", model: row.model });
    let usage = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
    let ending: { status: "SUCCEEDED" | "FAILED"; output?: unknown; error: { code: string; message: string } | null };
    try {
      const message = await sdk.messages
        .stream({
          model: row.model,
          system: systemPrompt(def),
          max_tokens: row.maxOutputTokens,
          messages: [{ role: "user", content: [{ type: "text", text: userMessage(input) }] }],
          tools: modelTools(def).map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema as Anthropic.Tool.InputSchema })),
        })
        .finalMessage();
      const u = message.usage;
      usage = { inputTokens: u.input_tokens, outputTokens: u.output_tokens, cacheWriteTokens: u.cache_creation_input_tokens ?? 0, cacheReadTokens: u.cache_read_input_tokens ?? 0 };
      const text = message.content.map((b) => (b.type === "text" ? b.text : "")).join("");
      streams.push(hold.runId, "text", { text });
      const output = def.output.safeParse(JSON.parse(text));
      ending = output.success ? { status: "SUCCEEDED", output: output.data, error: null } : { status: "FAILED", error: { code: "invalid_output", message: "The model's answer does not match the output schema." } };
    } catch (err) {
      ending = { status: "FAILED", error: { code: "provider_error", message: String((err as Error).message) } };
    }
    const costMicros = modelCostMicros(pkg.price, usage);
    const price = runPrice(ending.status, costMicros, terms);
    const priceMicros = price < hold.holdMicros ? price : hold.holdMicros;
    await sql.settle({ ...hold, ...ending, output: ending.output, usage, costMicros, priceMicros, resolutionId: randomUUID(), modelCostId: randomUUID() });
    if (ending.status === "SUCCEEDED") streams.push(hold.runId, "output", { output: ending.output });
    if (ending.error) streams.push(hold.runId, "error", ending.error);
    streams.push(hold.runId, "status", { status: ending.status, finishedAt: new Date().toISOString() });
    streams.push(hold.runId, "usage", { ...usage, costMicros: Number(costMicros), priceMicros: Number(priceMicros) });
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = req.url?.split("?")[0] ?? "";
    if (req.method === "POST" && path === "/api/v1/runs") return createRun(req, res);
    const events = /^\/api\/v1\/runs\/([^/]+)\/events$/.exec(path);
    if (req.method === "GET" && events) return streams.serve(events[1]!, hashApiKey(/^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? ""), req, res);
    if (req.method === "GET" && path === "/api/health/live") return send(res, 200, { ok: true });
    throw new Refusal(404, "not_found");
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof Refusal) return send(res, err.status, { error: { code: err.code } });
      if (err instanceof SyntaxError) return send(res, 400, { error: { code: "bad_request" } });
      console.error(err);
      send(res, 500, { error: { code: "internal" } });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
