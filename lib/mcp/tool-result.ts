import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ApiError, errorBody, toApiError, type FieldIssue } from "@/lib/http/errors";
import { log } from "@/lib/observability/log";

// What a tool call answers. A refusal is a tool result with isError (MCP: the
// model sees it and can correct its call), never a JSON-RPC error or a 500: the
// same ApiError the REST API would send, as text, with its code and details in _meta.

/** A successful call: the JSON as text for every client, and as structuredContent when it is an object. */
export function toolResult(data: unknown, meta?: Record<string, unknown>): CallToolResult {
  const structured = data !== null && typeof data === "object" && !Array.isArray(data) ? { structuredContent: data as Record<string, unknown> } : {};
  return { content: [{ type: "text", text: JSON.stringify(data) }], ...structured, ...(meta && { _meta: meta }) };
}

/** A refusal or failure as a tool error. `argumentsPrefix`: the field path the tool's arguments have in the REST API ("input"), dropped from the named fields. */
export function toolError(err: unknown, o: { requestId: string; argumentsPrefix?: string; meta?: Record<string, unknown> }): CallToolResult {
  const apiError = toApiError(err);
  if (apiError.status >= 500 && !(err instanceof ApiError)) log.error("mcp tool call failed", { requestId: o.requestId, err });
  const issues = apiError.code === "validation_failed" ? (apiError.details as { issues?: FieldIssue[] } | undefined)?.issues : undefined;
  const field = (path: string) => (o.argumentsPrefix && (path === o.argumentsPrefix || path.startsWith(`${o.argumentsPrefix}.`)) ? path.slice(o.argumentsPrefix.length + 1) : path) || "(arguments)";
  const text = issues?.length ? ["Invalid arguments:", ...issues.map((i) => `- ${field(i.path)}: ${i.message}`)].join("\n") : apiError.message;
  return { isError: true, content: [{ type: "text", text }], _meta: { ...o.meta, "agora/error": errorBody(apiError).error } };
}
