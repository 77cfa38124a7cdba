// npm run bench:remote-package   (BENCH_RUNS=200 BENCH_LEVELS=10,50 — at most 50: the Enterprise tier's concurrent runs)
//
// The platform's overhead on a remote package run (issue 19): a production build
// runs a REMOTE package whose provider (tests/fakes/a2a-provider.ts, mode
// "instant": the artifact and COMPLETED at once) is on this machine, against
// calling that provider directly with the same SDK (one client made from the
// card, as Agora's executor makes it; signed requests). Agora's side: POST
// /api/v1/runs with "stream": true, to its closing `usage` event — accept, queue,
// claim, the A2A stream, the output check, settlement. For each concurrency
// level: p50/p99 of both and the difference. Everything (PostgreSQL, the server,
// the fake provider, this client) shares this machine's cores.
import { randomUUID } from "node:crypto";
import { SendMessageRequest } from "@a2a-js/sdk";
import { startFakeProvider } from "../tests/fakes/a2a-provider";
import { insertRemotePackage, newSigningSecret } from "../tests/helpers/remote-package";
import { benchAccount, percentile as pct, startProductionServer } from "./prod-server";
import { benchRun, pool } from "./run-client";

const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const LEVELS = (process.env.BENCH_LEVELS ?? "10,50").split(",").filter(Boolean).map(Number);

const secret = newSigningSecret();
const fake = await startFakeProvider({ secret, mode: "instant" });
// The provider listens on 127.0.0.1: loopback endpoints allowed (a production server may, with NEXTAUTH_URL on loopback).
const app = await startProductionServer("agora_bench_remote", { AGORA_ALLOW_LOOPBACK_ENDPOINTS: "1", AGORA_WORKER_CONCURRENCY: process.env.AGORA_WORKER_CONCURRENCY ?? "64" });
const account = await benchAccount();
const { a2aSession, cardSnapshot, readAgentCard } = await import("../lib/remote/a2a");
const card = cardSnapshot((await readAgentCard(fake.url)).card);
const { pkg } = await insertRemotePackage(account.workspaceId, { endpointUrl: fake.url, agentCard: card, secret });
const run = { agent: pkg.slug, input: { url: "https://example.com" } };

const session = await a2aSession(card, [secret]);
async function direct(): Promise<number> {
  const started = performance.now();
  const params = SendMessageRequest.fromJSON({ message: { messageId: randomUUID(), role: "ROLE_USER", parts: [{ data: run.input, mediaType: "application/json" }] }, configuration: { acceptedOutputModes: ["application/json"] } });
  for await (const _ of session.client.sendMessageStream(params, { serviceParameters: session.auth })) void _;
  return performance.now() - started;
}
const agora = async () => (await benchRun(app.base, account.headers, "one", run)).ms;

const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: pct(sorted, 50), p99: pct(sorted, 99) };
};
const f = (n: number) => n.toFixed(1).padStart(8);

// Warm both paths (connections, the server's compiled routes and caches) before measuring.
await pool(20, 5, agora);
await pool(20, 5, direct);
console.log(`remote package run overhead, ${RUNS} runs per level (ms)\n${"level".padEnd(6)}${"Agora p50".padStart(11)}${"p99".padStart(9)}${"direct p50".padStart(12)}${"p99".padStart(9)}${"overhead p50".padStart(14)}${"p99".padStart(9)}`);
for (const level of LEVELS) {
  const a = summary(await pool(RUNS, level, agora));
  const d = summary(await pool(RUNS, level, direct));
  console.log(`${String(level).padEnd(6)}${f(a.p50)}   ${f(a.p99)} ${f(d.p50)}   ${f(d.p99)}     ${f(a.p50 - d.p50)}  ${f(a.p99 - d.p99)}`);
}

await app.stop();
await fake.close();
process.exit(0);
