import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as runRoute from "@/app/api/v1/runs/[id]/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import { dataProcessor } from "@/lib/agents/data-processor/package";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { extractFromPaste } from "@/lib/knowledge/extract-text";
import { createDocument } from "@/lib/knowledge/documents";
import { OFFLINE_OUTPUT_NOTE } from "@/lib/llm/offline-provider";
import { workspaceBalance } from "@/lib/ledger/ledger";
import type { Principal } from "@/lib/auth/principal";
import { cancelRun } from "@/lib/runs/cancel-run";
import { acceptRun, holdTerms, resolveRunRequest, type RunEngine } from "@/lib/runs/accept-run";
import { env } from "@/lib/env";
import { EXAMPLE_MANIFEST } from "@/lib/packages/example-manifest";
import { startRunWorker } from "@/lib/runs/run-executor-instance";
import { callRoute } from "../helpers/call-route";
import { createHostedPackage, createUser, setWallet } from "../helpers/factories";
import { expectLedgerInvariantsAfterEach, fakeAnthropicForFile } from "../helpers/lifecycle";
import { loadRun, testExecutor, workspaceSettled } from "../helpers/run-harness";

// Hosted packages at run time (issue 19 item 2) and failure attribution with the
// failure-farming cap (item 5): a provider's manifest run by the process's own run
// worker with the offline model (no ANTHROPIC_API_KEY in tests), through the runs API.

expectLedgerInvariantsAfterEach();
const fake = await fakeAnthropicForFile();

type Consumer = { workspaceId: string; userId: string; auth: Record<string, string>; principal: Principal };
let provider: Awaited<ReturnType<typeof createUser>>;

async function consumer(label: string): Promise<Consumer> {
  const { principal, workspace, user } = await createUser(label, { tier: "enterprise" });
  const key = await createApiKey(principal, { name: label });
  return { workspaceId: workspace.id, userId: user.id, auth: { authorization: `Bearer ${key.secret}` }, principal };
}

beforeAll(async () => {
  provider = await createUser("hosted-provider", { tier: "enterprise" });
  await startRunWorker("all");
});

const BASE_FEE = 2_500;
const csvInputSchema = {
  type: "object",
  properties: { csv: { type: "string", minLength: 1 }, note: { type: "string" } },
  required: ["csv"],
  additionalProperties: false,
};
const digestOutputSchema = {
  type: "object",
  properties: { rows: { type: "integer" }, firstColumn: { type: "string" }, hits: { type: "array" } },
  required: ["rows", "firstColumn", "hits"],
  additionalProperties: false, // the offline note must not be added to the output
};

/** A hosted manifest (a new slug each time): profile the CSV, then search the caller's documents for its first column's name. */
function digestManifest(over: { hosted?: Record<string, unknown>; outputSchema?: object } = {}) {
  return {
    kind: "hosted",
    slug: `csv-digest-${randomUUID().slice(0, 8)}`,
    version: "1.0.0",
    name: "CSV Digest",
    summary: "Profiles a CSV and finds the documents about its first column.",
    category: "data",
    capabilities: ["csv"],
    inputSchema: csvInputSchema,
    outputSchema: over.outputSchema ?? digestOutputSchema,
    exampleInput: { csv: "a,b\n1,2\n" },
    baseFeeMicros: BASE_FEE,
    hosted: {
      instructions: "Profile the CSV and look up its first column in the knowledge base.",
      model: dataProcessor.model,
      maxOutputTokens: 1_024,
      maxTurns: 4,
      tools: [{ tool: "profile_csv" }, { tool: "search_documents" }],
      offline: {
        calls: [
          { tool: "profile_csv", input: { csv: { $input: "/csv" } } },
          { tool: "search_documents", input: { query: { $result: "/profile_csv/columns/0/name" }, limit: 5 } },
        ],
        output: { rows: { $result: "/profile_csv/rows" }, firstColumn: { $result: "/profile_csv/columns/0/name" }, hits: { $result: "/search_documents/results" } },
      },
      ...over.hosted,
    },
  };
}

async function publish(manifest: { slug: string }) {
  await createHostedPackage({ providerWorkspace: provider.principal, manifest });
  return manifest.slug;
}

const startRun = (c: Consumer, agent: string, input: unknown) =>
  callRoute(runsRoute.POST, { method: "POST", path: "/api/v1/runs", body: JSON.stringify({ agent, input }), headers: c.auth });

type RunBody = { id: string; status: string; output: Record<string, unknown>; priceMicros: number; costMicros: number; toolCalls: number; failureCause: string | null; outputNote: string | null; error: { code: string; message: string } | null };

/** Starts a run through the API and waits for it to end; its API view. */
async function runToEnd(c: Consumer, agent: string, input: unknown): Promise<RunBody> {
  const res = await startRun(c, agent, input);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await workspaceSettled(c.workspaceId);
  return (await callRoute(runRoute.GET, { headers: c.auth, params: { id: (res.body as unknown as { id: string }).id } })).body as unknown as RunBody;
}

const available = async (workspaceId: string) => (await workspaceBalance(getDb(), workspaceId)).availableMicros;
const csv = "zebrafish,weight\nnemo,2\ndory,3\nmarlin,4\n";

describe("a hosted package run with the offline model", () => {
  it("plans its tools from the input, validates the output, says no language model wrote it, and charges its base fee", async () => {
    const c = await consumer("hosted-consumer");
    const slug = await publish(digestManifest());
    const before = await available(c.workspaceId);

    const run = await runToEnd(c, slug, { csv });
    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    expect(run.toolCalls).toBe(2);
    expect(run.output).toEqual({ rows: 3, firstColumn: "zebrafish", hits: [] });
    expect(run.outputNote).toBe(OFFLINE_OUTPUT_NOTE);
    expect(run.costMicros).toBe(0);
    expect(run.priceMicros).toBe(BASE_FEE);
    expect(await available(c.workspaceId)).toBe(before - BigInt(BASE_FEE));
    const row = await getDb().run.findUniqueOrThrow({ where: { id: run.id }, select: { inputHash: true, failureCause: true } });
    expect(row.inputHash).toMatch(/^[0-9a-f]{64}$/); // third-party runs record their input's hash
    expect(row.failureCause).toBeNull();
  });

  it("the editor's example manifest (Load example) runs on its own example input and succeeds", async () => {
    const c = await consumer("hosted-example");
    const slug = await publish({ ...structuredClone(EXAMPLE_MANIFEST), slug: `csv-summary-${randomUUID().slice(0, 8)}` });
    const run = await runToEnd(c, slug, EXAMPLE_MANIFEST.exampleInput);
    expect(run.error).toBeNull();
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output).toMatchObject({ rows: 2, columns: [{ name: "city", type: "string" }, { name: "visits", type: "integer" }] });
    expect(run.priceMicros).toBe(EXAMPLE_MANIFEST.baseFeeMicros);
  });

  it("50 concurrent runs through the API on one wallet that covers 40: 40 run, 10 get 402, no overspend, the provider's shares add up exactly", async () => {
    const c = await consumer("hosted-50");
    const slug = await publish({ ...structuredClone(EXAMPLE_MANIFEST), slug: `csv-50-${randomUUID().slice(0, 8)}` });
    const fee = BigInt(EXAMPLE_MANIFEST.baseFeeMicros); // the offline model costs nothing: a run's hold is its base fee
    await setWallet(c.workspaceId, 40n * fee);
    const answers = await Promise.all(Array.from({ length: 50 }, () => startRun(c, slug, EXAMPLE_MANIFEST.exampleInput)));
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(40).fill(201), ...Array(10).fill(402)]);
    await workspaceSettled(c.workspaceId);
    const runs = await getDb().run.findMany({ where: { workspaceId: c.workspaceId }, select: { id: true, status: true, priceMicros: true, providerShareMicros: true, platformFeeMicros: true } });
    expect(runs.map((r) => r.status)).toEqual(Array(40).fill("SUCCEEDED"));
    expect(await available(c.workspaceId)).toBe(0n);
    const shares = await getDb().transfer.findMany({ where: { runId: { in: runs.map((r) => r.id) }, reason: "provider_share", kind: "PENDING" }, select: { amountMicros: true } });
    const share = fee - (fee * 2_000n + 5_000n) / 10_000n;
    expect(shares.map((t) => t.amountMicros)).toEqual(Array(40).fill(share));
    expect(runs.every((r) => r.providerShareMicros + r.platformFeeMicros === r.priceMicros)).toBe(true);
  });

  it("searches the caller's documents, never the provider's", async () => {
    const c = await consumer("hosted-docs");
    const paste = (workspaceId: string, userId: string, text: string) =>
      createDocument(getDb(), { workspaceId, userId }, { extracted: extractFromPaste(text), source: `${randomUUID().slice(0, 6)}.md`, sizeBytes: text.length });
    const mine = await paste(c.workspaceId, c.userId, "# Zebrafish care\n\nZebrafish tanks are kept at 28 degrees in the caller's lab.");
    const theirs = await paste(provider.workspace.id, provider.user.id, "# Zebrafish secrets\n\nZebrafish notes private to the provider's own workspace.");
    const slug = await publish(digestManifest());

    const run = await runToEnd(c, slug, { csv });
    expect(run.status).toBe("SUCCEEDED");
    const ids = (run.output.hits as { documentId: string }[]).map((h) => h.documentId);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
  });

  it("refuses an input off the provider's schema with a 400 naming its path, and writes nothing", async () => {
    const c = await consumer("hosted-invalid");
    const slug = await publish(digestManifest());
    const res = await startRun(c, slug, { csv: 42, extra: true });
    expect(res.status).toBe(400);
    expect(res.body?.error.details.issues.map((i) => i.path)).toEqual(expect.arrayContaining(["input.csv"]));
    expect(await getDb().run.count({ where: { workspaceId: c.workspaceId } })).toBe(0);
  });

  it("answers 404 for a published version whose manifest no longer reads, never a 500", async () => {
    const c = await consumer("hosted-broken");
    const manifest = digestManifest();
    const row = await createHostedPackage({ providerWorkspace: provider.principal, manifest });
    await getDb().agentPackage.update({ where: { id: row.id }, data: { manifest: { ...manifest, hosted: { instructions: "" } } } });
    const res = await startRun(c, manifest.slug, { csv });
    expect(res.status).toBe(404);
    expect(res.body?.error.code).toBe("not_found");
  });

  it("holds credit for the manifest's instructions and turn limit (within the server's), on its own model", async () => {
    const engine = { providerName: "anthropic", config: { maxTurns: 10 } } as RunEngine;
    const terms = async (hosted: Record<string, unknown>) => {
      const req = await resolveRunRequest({ agent: await publish(digestManifest({ hosted })), input: { csv } });
      return holdTerms(req, req.row.model, provider.principal, engine);
    };
    const short = await terms({ maxTurns: 1 });
    expect(short).toMatchObject({ maxTurns: 1, model: dataProcessor.model, baseFeeMicros: BigInt(BASE_FEE), maxOutputTokens: 1_024 });
    expect((await terms({ maxTurns: 10 })).maxTurns).toBe(Math.min(10, env().AGORA_HOLD_TURNS));
    expect((await terms({ maxTurns: 1, instructions: "Be thorough. ".repeat(1_000) })).promptTokens - short.promptTokens).toBeGreaterThan(3_000);
  });

  it("runs another published package through run_agent as a child run the caller pays for", async () => {
    const c = await consumer("hosted-child");
    const files = [{ path: "app/settings.py", content: 'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n' }];
    const manifest = {
      ...digestManifest(),
      inputSchema: { type: "object", properties: { files: { type: "array" } }, required: ["files"] },
      outputSchema: { type: "object", properties: { child: { type: "string" }, childRun: { type: "string" } }, required: ["child", "childRun"] },
      exampleInput: { files },
    };
    manifest.hosted = {
      ...manifest.hosted,
      tools: [{ tool: "run_agent", agent: "security-scanner" }] as never,
      offline: { calls: [{ tool: "run_agent", input: { agent: "security-scanner", input: { files: { $input: "/files" } } } }], output: { child: { $result: "/run_agent/status" }, childRun: { $result: "/run_agent/runId" } } } as never,
    };
    const slug = await publish(manifest);
    const before = await available(c.workspaceId);

    const run = await runToEnd(c, slug, { files });
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output.child).toBe("SUCCEEDED");
    const child = await getDb().run.findUniqueOrThrow({ where: { id: run.output.childRun as string } });
    expect(child).toMatchObject({ parentRunId: run.id, workspaceId: c.workspaceId, agentSlug: "security-scanner", depth: 1, status: "SUCCEEDED" });
    expect(child.priceMicros).toBeGreaterThan(0n);
    expect(await available(c.workspaceId)).toBe(before - BigInt(BASE_FEE) - child.priceMicros);
  });
});

describe("a hosted package run with a language model (real SDK, fake Anthropic)", () => {
  it("sends the manifest's instructions, tools, model and output limit, and charges the base fee plus the model cost at the tier's multiplier", async () => {
    const c = await consumer("hosted-model");
    const manifest = digestManifest();
    const slug = await publish(manifest);
    fake.script(
      { kind: "message", blocks: [{ type: "tool_use", id: "toolu_1", name: "profile_csv", input: { csv } }], usage: { input: 800, output: 40 } },
      { kind: "message", blocks: [{ type: "text", text: JSON.stringify({ rows: 3, firstColumn: "zebrafish", hits: [] }) }], usage: { input: 1_000, output: 60 } },
    );
    const executor = testExecutor({ anthropicUrl: fake.url });
    const { run: accepted } = await acceptRun(c.principal, { agent: slug, input: { csv } }, { executor });
    await executor.settled();
    const { run } = await loadRun(accepted.id);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.output).toEqual({ rows: 3, firstColumn: "zebrafish", hits: [] });
    const first = fake.requests[0]!.body as { model: string; max_tokens: number; system: unknown; tools: { name: string }[] };
    expect(first.model).toBe(dataProcessor.model);
    expect(first.max_tokens).toBe(1_024);
    expect(JSON.stringify(first.system)).toContain(manifest.hosted.instructions);
    expect(first.tools.map((t) => t.name)).toEqual(["profile_csv", "search_documents"]);
    expect(run.providerCostMicros).toBeGreaterThan(0n);
    const marked = (run.providerCostMicros * BigInt(c.principal.workspace.priceMultiplierBps) + 5_000n) / 10_000n;
    expect(run.priceMicros).toBe(BigInt(BASE_FEE) + marked);
    expect(run.outputTokens).toBe(100);
  });
});

describe("failure attribution", () => {
  it("a template pointing at nothing fails the run as the provider's fault, naming the template path, free", async () => {
    const c = await consumer("hosted-pointer");
    const slug = await publish(digestManifest({ hosted: { offline: { calls: [{ tool: "profile_csv", input: { csv: { $input: "/csv" } } }], output: { rows: { $result: "/profile_csv/nope" } } } } }));
    const before = await available(c.workspaceId);
    const run = await runToEnd(c, slug, { csv });
    expect(run).toMatchObject({ status: "FAILED", failureCause: "provider", priceMicros: 0, error: { code: "manifest_error" } });
    expect(run.error?.message).toContain("hosted.offline.output.rows");
    expect(await available(c.workspaceId)).toBe(before);
  });

  it("a run_agent target that is not published, an output off the provider's schema and the manifest's turn limit are the provider's; no offline plan is the platform's", async () => {
    const c = await consumer("hosted-causes");
    const gone = digestManifest();
    gone.hosted = { ...gone.hosted, tools: [{ tool: "run_agent", agent: "no-such-agent-here" }] as never, offline: { calls: [{ tool: "run_agent", input: { agent: "no-such-agent-here", input: {} } }], output: {} } as never };
    const offSchema = digestManifest({ hosted: { offline: { calls: [], output: { rows: "three" } } } });
    const tooLong = digestManifest({ hosted: { maxTurns: 1 } });
    const noOffline = digestManifest({ hosted: { offline: undefined } });

    expect(await runToEnd(c, await publish(gone), { csv })).toMatchObject({ status: "FAILED", failureCause: "provider", priceMicros: 0, error: { code: "tool_error" } });
    expect(await runToEnd(c, await publish(offSchema), { csv })).toMatchObject({ status: "FAILED", failureCause: "provider", priceMicros: 0, error: { code: "invalid_output" } });
    expect(await runToEnd(c, await publish(tooLong), { csv })).toMatchObject({ status: "FAILED", failureCause: "provider", priceMicros: 0, error: { code: "turn_limit" } });
    expect(await runToEnd(c, await publish(noOffline), { csv })).toMatchObject({ status: "FAILED", failureCause: "platform", priceMicros: 0, error: { code: "offline_unavailable" } });
  });

  it("a canceled run's cause is `canceled`; an interrupted one's, the platform", async () => {
    const c = await consumer("hosted-cancel");
    const idle = testExecutor({ works: false }); // its runs stay queued
    const slug = await publish(digestManifest());
    const { run: queued } = await acceptRun(c.principal, { agent: slug, input: { csv } }, { executor: idle });
    await cancelRun(c.workspaceId, queued.id, idle);
    expect(await getDb().run.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: "CANCELED", failureCause: "canceled", priceMicros: 0n });
    const { run: stuck } = await acceptRun(c.principal, { agent: slug, input: { csv, note: "stuck" } }, { executor: idle });
    await idle.interrupt(stuck.id);
    expect(await getDb().run.findUniqueOrThrow({ where: { id: stuck.id } })).toMatchObject({ status: "FAILED", errorCode: "interrupted", failureCause: "platform", priceMicros: 0n });
  });

  it("a built-in package's failures are the consumer's input or the platform's", async () => {
    const c = await consumer("builtin-causes");
    const run = await runToEnd(c, "report-generator", { data: "just a header\n", question: "Totals by region?" });
    expect(run).toMatchObject({ status: "FAILED", failureCause: "consumer_input", priceMicros: 0, error: { code: "consumer_input" } });
    // A built-in's own fault (an answer off its output schema) is the platform's: Agora publishes it.
    fake.script({ kind: "message", blocks: [{ type: "text", text: "not JSON at all" }] });
    const executor = testExecutor({ anthropicUrl: fake.url });
    const { run: offSchema } = await acceptRun(c.principal, { agent: "security-scanner", input: { files: [{ path: "a.py", content: "x = 1\n" }] } }, { executor });
    await executor.settled();
    expect((await loadRun(offSchema.id)).run).toMatchObject({ status: "FAILED", errorCode: "invalid_output", failureCause: "platform", priceMicros: 0n });
  });
});

describe("the failure-farming cap", () => {
  it("refuses an input that failed three times by the provider's fault in the last hour; another input or workspace still runs; the failures cost nothing", async () => {
    const c = await consumer("hosted-cap");
    const other = await consumer("hosted-cap-other");
    const slug = await publish(digestManifest({ hosted: { offline: { calls: [], output: { rows: { $input: "/missing" } } } } }));
    const before = await available(c.workspaceId);
    for (let i = 0; i < 3; i++) expect(await runToEnd(c, slug, { csv, note: "same" })).toMatchObject({ status: "FAILED", failureCause: "provider" });
    expect(await available(c.workspaceId)).toBe(before);

    const slots = async () => (await getDb().runSlot.findUnique({ where: { workspaceId: c.workspaceId } }))?.live ?? 0;
    const holds = () => getDb().transfer.count({ where: { workspaceId: c.workspaceId, kind: "PENDING" } });
    const [slotsBefore, holdsBefore, runsBefore] = [await slots(), await holds(), await getDb().run.count({ where: { workspaceId: c.workspaceId } })];
    // The same input with its keys in another order is the same input.
    const refused = await startRun(c, slug, { note: "same", csv });
    expect(refused.status).toBe(429);
    expect(refused.body?.error.code).toBe("rate_limited");
    expect(refused.body?.error.message).toMatch(/^This input failed 3 times in the last hour because of the package's provider; try again after \d\d:\d\d UTC\.$/);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3_000);
    expect([await slots(), await holds(), await getDb().run.count({ where: { workspaceId: c.workspaceId } })]).toEqual([slotsBefore, holdsBefore, runsBefore]);

    expect((await startRun(c, slug, { csv, note: "another" })).status).toBe(201);
    expect((await startRun(other, slug, { csv, note: "same" })).status).toBe(201);
    await workspaceSettled(c.workspaceId);
    await workspaceSettled(other.workspaceId);
  });
});
