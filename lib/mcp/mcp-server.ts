import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { CallToolRequestSchema, ErrorCode, ListResourcesRequestSchema, ListToolsRequestSchema, McpError, ReadResourceRequestSchema, type ServerNotification, type ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { ApiError, toApiError } from "@/lib/http/errors";
import { log } from "@/lib/observability/log";
import { BALANCE_URI, balanceResource, readBalance } from "./balance-resource";
import { callPackageTool } from "./call-package-tool";
import { listPackageTools } from "./package-tools";
import { SEARCH_CATALOG, searchCatalog, searchCatalogTool } from "./search-catalog-tool";
import { toolError, toolResult } from "./tool-result";

// POST /api/mcp (SPEC §9 style auth, lib/http/route.ts): the Model Context Protocol over
// Streamable HTTP, stateless — a fresh server and transport per HTTP request, no session
// id — so any process can answer any request. Tools: search_catalog and one per package
// (lib/mcp/package-tools.ts); resource: agora://balance.

const INSTRUCTIONS =
  "Agora is a marketplace of AI agent packages. Each tool but search_catalog runs one package as a metered run charged to your Agora workspace; " +
  "search_catalog finds packages by what they do; the resource agora://balance is the workspace's credit.";

/**
 * A list or read request's failure as the JSON-RPC error MCP expects: a refusal (a bad cursor) as invalid params with
 * its message; anything else logged, and sent with the REST API's message for it (never the internals: the SDK sends
 * a thrown error's message as is).
 */
const asMcpError =
  (requestId: string) =>
  (err: unknown): never => {
    const apiError = toApiError(err);
    if (apiError.status < 500) throw new McpError(ErrorCode.InvalidParams, apiError.message, apiError.details);
    if (!(err instanceof ApiError)) log.error("mcp request failed", { requestId, err });
    throw new McpError(ErrorCode.InternalError, apiError.message);
  };

/**
 * Progress notifications for a call that asked for them (a progressToken): the run's id once accepted, then its
 * activity — a client that resets its request timeout on progress then waits for a long run.
 */
function progressSender(extra: RequestHandlerExtra<ServerRequest, ServerNotification>) {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  let progress = 0;
  return (message: string) => {
    extra.sendNotification({ method: "notifications/progress", params: { progressToken, progress: ++progress, message } }).catch(() => undefined); // the client went away: the run carries on
  };
}

function mcpServer(principal: Principal, o: { requestId: string; signal: AbortSignal }): Server {
  const server = new Server({ name: "agora", title: "Agora", version: "1.0.0" }, { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS });

  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    const cursor = request.params?.cursor;
    const page = await listPackageTools(principal, cursor).catch(asMcpError(o.requestId));
    return { ...page, tools: cursor === undefined ? [searchCatalogTool, ...page.tools] : page.tools };
  });

  server.setRequestHandler(CallToolRequestSchema, async ({ params }, extra) => {
    // The wait ends when the client cancels the call or closes the HTTP request; the run does not.
    const signal = AbortSignal.any([extra.signal, o.signal]);
    if (params.name === SEARCH_CATALOG) return searchCatalog(params.arguments).then(toolResult, (err: unknown) => toolError(err, o));
    return callPackageTool(principal, { name: params.name, arguments: params.arguments, meta: params._meta }, { requestId: o.requestId, signal, progress: progressSender(extra) });
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: [balanceResource] }));
  server.setRequestHandler(ReadResourceRequestSchema, ({ params }) => {
    if (params.uri !== BALANCE_URI) throw new McpError(ErrorCode.InvalidParams, `No resource ${params.uri}; this server has ${BALANCE_URI}.`, { uri: params.uri });
    return readBalance(principal.workspace.id).catch(asMcpError(o.requestId));
  });
  return server;
}

/** Answers one MCP HTTP request of an authenticated caller (the route wrapper resolved the key, counted the request and checked workspace.read). */
export async function handleMcpRequest(req: Request, principal: Principal, requestId: string): Promise<Response> {
  const server = mcpServer(principal, { requestId, signal: req.signal });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, maxRequestBodySize: env().AGORA_BODY_LIMIT_BYTES });
  await server.connect(transport);
  return transport.handleRequest(req);
}
