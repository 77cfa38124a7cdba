import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ErrorCode, type CallToolResult, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as mcpRoute from "@/app/api/mcp/route";
import { builtInPackages } from "@/lib/agents/registry";
import { createApiKey } from "@/lib/api-keys/api-keys";
import { getDb } from "@/lib/db/client";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { listPackageTools } from "@/lib/mcp/package-tools";
import { EXAMPLE_MANIFEST } from "@/lib/packages/example-manifest";
import { setWorkspacePins } from "@/lib/packages/pins";
import { startRunWorker } from "@/lib/runs/run-executor-instance";
import { callRoute } from "../helpers/call-route";
import { createHostedPackage, createUser, setWallet, TEST_APP_URL } from "../helpers/factories";
import { scannerInput, workspaceSettled } from "../helpers/run-harness";

// The MCP server driven by the MCP SDK's own client over Streamable HTTP, its fetch
// calling the real route handlers in-process (real API keys, runs, ledger and PostgreSQL;
// the process's own run worker executes runs with the offline model).

const MCP_URL = `${TEST_APP_URL}/api/mcp`;
const handlers = { POST: mcpRoute.POST, GET: mcpRoute.GET, DELETE: mcpRoute.DELETE } as const;

/** A fetch that hands each request to the route handler of its method, as Next would. */
async function routeFetch(url: string | URL, init?: RequestInit): Promise<Response> {
  const method = (init?.method ?? "GET") as keyof typeof handlers;
  const handler = handlers[method];
  if (!handler) return new Response(null, { status: 405 });
  return handler(new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]), { params: Promise.resolve({}) });
}

const clients: Client[] = [];
async function connect(secret?: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(MCP_URL), { fetch: routeFetch, requestInit: secret ? { headers: { authorization: `Bearer ${secret}` } } : undefined });
  const client = new Client({ name: "agora-mcp-test", version: "1.0.0" });
  await client.connect(transport);
  clients.push(client);
  return client;
}

/** A workspace with `micros` of credit and a client connected with one of its API keys. */
async function workspaceClient(label: string, micros = 5_000_000n) {
  const { principal, workspace } = await createUser(label, { tier: "enterprise" });
  await setWallet(workspace.id, micros);
  const key = await createApiKey(principal, { name: "mcp" });
  return { workspaceId: workspace.id, principal, client: await connect(key.secret), secret: key.secret };
}

/** Every tool, following nextCursor. */
async function allTools(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

const text = (result: CallToolResult) => result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

beforeAll(async () => {
  await startRunWorker("all");
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

describe("MCP server: tools", () => {
  it("lists search_catalog and the published packages, Security Scanner with its input and output schemas", async () => {
    const { client } = await workspaceClient("mcp-list");
    const tools = await allTools(client);
    const names = tools.map((t) => t.name);
    expect(names[0]).toBe("search_catalog");
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]{1,128}$/);

    const scanner = tools.find((t) => t.name === "security-scanner");
    const row = await getDb().agentPackage.findFirstOrThrow({ where: { slug: "security-scanner", isLatest: true }, select: { inputSchema: true, outputSchema: true, summary: true } });
    expect(scanner?.inputSchema).toEqual(row.inputSchema);
    expect(scanner?.outputSchema).toEqual(row.outputSchema);
    expect(scanner?.description).toContain(row.summary);
    expect(scanner?.description).toMatch(/base fee of \$0\.002/);
  });

  it("pages through the packages with cursors, each exactly once", async () => {
    const { principal } = await createUser("mcp-pages");
    // Other files publish packages meanwhile: no slug comes twice, and every built-in is on a page.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listPackageTools(principal, cursor, 2);
      expect(page.tools.length).toBeLessThanOrEqual(2);
      paged.push(...page.tools.map((t) => t.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(paged).size).toBe(paged.length);
    expect(paged).toEqual(expect.arrayContaining(builtInPackages.map((p) => p.slug)));
  });

  it("shows a package the workspace pins at its pinned version, and runs that version", async () => {
    const provider = await createUser("mcp-pin-provider");
    const slug = `mcp-pin-${randomUUID().slice(0, 8)}`;
    const v1 = { ...structuredClone(EXAMPLE_MANIFEST), slug, version: "1.0.0" };
    const v2 = structuredClone(v1);
    v2.version = "2.0.0";
    Object.assign(v2.inputSchema.properties, { delimiter: { type: "string", maxLength: 1 } });
    for (const manifest of [v1, v2]) await createHostedPackage({ providerWorkspace: provider.principal, manifest });

    const pinned = await workspaceClient("mcp-pinned");
    await setWorkspacePins(pinned.principal, { [slug]: "1" }, null);
    const unpinned = await workspaceClient("mcp-unpinned");
    const toolOf = async (client: Client) => (await allTools(client)).find((t) => t.name === slug);
    expect((await toolOf(pinned.client))?.inputSchema).toEqual(v1.inputSchema);
    expect((await toolOf(unpinned.client))?.inputSchema).toEqual(v2.inputSchema);

    const result = (await pinned.client.callTool({ name: slug, arguments: v1.exampleInput })) as CallToolResult;
    expect(result.isError, text(result)).toBeFalsy();
    expect(result._meta).toMatchObject({ "agora/agentVersion": "1.0.0" });
  });

  it("refuses a cursor that is not one with an invalid-params error", async () => {
    const { client } = await workspaceClient("mcp-cursor");
    const refused = client.listTools({ cursor: "not-a-cursor" });
    await expect(refused).rejects.toThrow(/cursor is not valid/);
    await expect(refused).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
  });
});

describe("MCP server: calling a package", () => {
  it("runs Security Scanner with its example input, returns the findings and charges the workspace once", async () => {
    const { client, workspaceId } = await workspaceClient("mcp-call");
    const before = await workspaceBalance(getDb(), workspaceId);
    const result = (await client.callTool({ name: "security-scanner", arguments: scannerInput })) as CallToolResult;

    expect(result.isError).toBeFalsy();
    const output = result.structuredContent as { findings: { rule: string; file: string; line: number }[] };
    expect(output.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: "SECRET-AWS-ACCESS-KEY", file: "config/settings.py", line: 2 })]));
    expect(JSON.parse(text(result))).toEqual(output);

    const runs = await getDb().run.findMany({ where: { workspaceId }, select: { id: true, status: true, priceMicros: true, agentSlug: true } });
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run).toMatchObject({ status: "SUCCEEDED", agentSlug: "security-scanner" });
    expect(run!.priceMicros).toBeGreaterThan(0n);
    expect(result._meta).toMatchObject({ "agora/runId": run!.id, "agora/priceMicros": Number(run!.priceMicros) });

    const after = await workspaceBalance(getDb(), workspaceId);
    expect(before.postedMicros - after.postedMicros).toBe(run!.priceMicros);
    expect(after.pendingDebitsMicros).toBe(0n);
    const charges = await getDb().transfer.count({ where: { runId: run!.id, reason: "run_charge", kind: "POST_PENDING" } });
    expect(charges).toBe(1);
  });

  it("reports the run's id as progress, and a client that gives up leaves the run to end and be charged", async () => {
    const { client, workspaceId } = await workspaceClient("mcp-abort");
    const before = await workspaceBalance(getDb(), workspaceId);
    const controller = new AbortController();
    const messages: string[] = [];
    const call = client.callTool({ name: "security-scanner", arguments: scannerInput }, undefined, {
      signal: controller.signal,
      onprogress: (p) => {
        messages.push(p.message ?? "");
        controller.abort();
      },
    });
    await expect(call).rejects.toThrow();
    const run = await getDb().run.findFirstOrThrow({ where: { workspaceId } });
    expect(messages[0]).toBe(`Run ${run.id} accepted.`);

    await workspaceSettled(workspaceId);
    const ended = await getDb().run.findUniqueOrThrow({ where: { id: run.id } });
    expect(ended.status).toBe("SUCCEEDED");
    expect(ended.priceMicros).toBeGreaterThan(0n);
    expect(before.postedMicros - (await workspaceBalance(getDb(), workspaceId)).postedMicros).toBe(ended.priceMicros);
  });

  it("answers a run that fails with a tool error carrying the run's message, uncharged", async () => {
    const { client, workspaceId } = await workspaceClient("mcp-failed");
    const before = await workspaceBalance(getDb(), workspaceId);
    // Report Generator fails a run whose data has no rows as the consumer's input error, before any model call.
    const result = (await client.callTool({ name: "report-generator", arguments: { data: "asdf qwerty zxcv", question: "What is the total?" } })) as CallToolResult;
    const run = await getDb().run.findFirstOrThrow({ where: { workspaceId } });
    expect(run).toMatchObject({ status: "FAILED", priceMicros: 0n });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(text(result)).toMatch(new RegExp(`^Run ${run.id} failed: The input has no rows of data to report on`));
    expect(result._meta).toMatchObject({ "agora/runId": run.id, "agora/status": "FAILED", "agora/priceMicros": 0 });
    expect(await workspaceBalance(getDb(), workspaceId)).toEqual(before);
  });

  it("answers invalid arguments with a tool error naming the field, and neither runs nor charges", async () => {
    const { client, workspaceId } = await workspaceClient("mcp-invalid");
    const before = await workspaceBalance(getDb(), workspaceId);
    const result = (await client.callTool({ name: "security-scanner", arguments: { files: [{ path: "", content: 42 }] } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^- files\.0\.path: /m);
    expect(text(result)).toMatch(/^- files\.0\.content: /m);
    expect(result._meta?.["agora/error"]).toMatchObject({ code: "validation_failed" });

    const missing = (await client.callTool({ name: "security-scanner", arguments: {} })) as CallToolResult;
    expect(missing.isError).toBe(true);
    expect(text(missing)).toMatch(/^- files: /m);

    const unknown = (await client.callTool({ name: "no-such-package", arguments: {} })) as CallToolResult;
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/No published agent 'no-such-package'/);

    expect(await getDb().run.count({ where: { workspaceId } })).toBe(0);
    expect(await workspaceBalance(getDb(), workspaceId)).toEqual(before);
  });

  it("answers a workspace without credit with a tool error saying so, and runs nothing", async () => {
    const { client, workspaceId } = await workspaceClient("mcp-broke", 0n);
    const result = (await client.callTool({ name: "security-scanner", arguments: scannerInput })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result._meta?.["agora/error"]).toMatchObject({ code: "insufficient_credits" });
    expect(text(result).length).toBeGreaterThan(0);
    expect(await getDb().run.count({ where: { workspaceId } })).toBe(0);
  });

  it("answers a call over the key's runs/hour with a tool error saying so, and runs nothing more", async () => {
    const { principal, workspace } = await createUser("mcp-runs-hour", { tier: "enterprise" });
    await setWallet(workspace.id, 5_000_000n);
    const key = await createApiKey(principal, { name: "one run an hour", runsPerHour: 1 });
    const client = await connect(key.secret);
    const first = (await client.callTool({ name: "security-scanner", arguments: scannerInput })) as CallToolResult;
    expect(first.isError).toBeFalsy();
    const second = (await client.callTool({ name: "security-scanner", arguments: scannerInput })) as CallToolResult;
    expect(second.isError).toBe(true);
    expect(second._meta?.["agora/error"]).toMatchObject({ code: "rate_limited" });
    expect(text(second)).toMatch(/^Rate limit reached: 1 runs per hour\. Retry in \d+ s\.$/);
    expect(await getDb().run.count({ where: { workspaceId: workspace.id } })).toBe(1);
  });

  it("answers a retried call carrying the same idempotency key with the first call's run", async () => {
    const { client, workspaceId } = await workspaceClient("mcp-idem");
    const call = { name: "security-scanner", arguments: scannerInput, _meta: { "agora/idempotencyKey": "mcp-idem-1" } };
    const first = (await client.callTool(call)) as CallToolResult;
    const again = (await client.callTool(call)) as CallToolResult;
    expect(first.isError).toBeFalsy();
    expect(again._meta?.["agora/runId"]).toBe(first._meta?.["agora/runId"]);
    expect(await getDb().run.count({ where: { workspaceId } })).toBe(1);

    const bad = (await client.callTool({ ...call, _meta: { "agora/idempotencyKey": 42 } })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/_meta\.agora\/idempotencyKey/);
  });
});

describe("MCP server: catalog search and balance", () => {
  it("finds Security Scanner with search_catalog, with its price and why it ranks", async () => {
    const { client } = await workspaceClient("mcp-search");
    const result = (await client.callTool({ name: "search_catalog", arguments: { q: "leaked secrets", limit: 5 } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const { results } = result.structuredContent as { results: { slug: string; baseFeeMicros: number; basePrice: string; rank: { explanation: string } }[] };
    expect(results.length).toBeLessThanOrEqual(5);
    const scanner = results.find((r) => r.slug === "security-scanner");
    expect(scanner).toMatchObject({ baseFeeMicros: 2_000, basePrice: "$0.002" });
    expect(scanner?.rank.explanation.length).toBeGreaterThan(0);

    const invalid = (await client.callTool({ name: "search_catalog", arguments: { q: "", limit: 500 } })) as CallToolResult;
    expect(invalid.isError).toBe(true);
    expect(text(invalid)).toMatch(/^- q: /m);
    expect(text(invalid)).toMatch(/^- limit: /m);
  });

  it("reads the workspace's balance as the agora://balance resource", async () => {
    const { client, workspaceId } = await workspaceClient("mcp-balance", 1_234_567n);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(["agora://balance"]);
    const read = await client.readResource({ uri: "agora://balance" });
    const content = read.contents[0] as { uri: string; mimeType?: string; text: string };
    expect(content).toMatchObject({ uri: "agora://balance", mimeType: "application/json" });
    expect(JSON.parse(content.text)).toEqual({ availableMicros: 1_234_567, available: "$1.234567", postedMicros: 1_234_567, heldMicros: 0 });
    expect((await workspaceBalance(getDb(), workspaceId)).availableMicros).toBe(1_234_567n);
    const unknown = client.readResource({ uri: "agora://nothing" });
    await expect(unknown).rejects.toThrow(/No resource agora:\/\/nothing/);
    await expect(unknown).rejects.toMatchObject({ code: ErrorCode.InvalidParams });
  });
});

describe("MCP server: authentication", () => {
  it("answers 401 with the JSON error to a request without an API key or with a wrong one", async () => {
    const initialize = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } } });
    const headers = { accept: "application/json, text/event-stream" };
    const anonymous = await callRoute(mcpRoute.POST, { method: "POST", path: "/api/mcp", body: initialize, headers });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body?.error.code).toBe("unauthenticated");
    const wrong = await callRoute(mcpRoute.POST, { method: "POST", path: "/api/mcp", body: initialize, headers: { ...headers, authorization: "Bearer agora_sk_not_a_key" } });
    expect(wrong.status).toBe(401);

    const refused = connect();
    await expect(refused).rejects.toBeInstanceOf(StreamableHTTPError);
    await expect(refused).rejects.toMatchObject({ code: 401 });
  });

  it("answers GET with 405 (stateless: no server-initiated stream)", async () => {
    const { secret } = await workspaceClient("mcp-get");
    const res = await callRoute(mcpRoute.GET, { path: "/api/mcp", headers: { authorization: `Bearer ${secret}`, accept: "text/event-stream" } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});
