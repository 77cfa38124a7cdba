// POST /api/mcp — the MCP server (Streamable HTTP, stateless): package tools, search_catalog, agora://balance
// GET, DELETE /api/mcp — 405: no server-initiated stream and no sessions to end (stateless)
import { ApiError, errorBody } from "@/lib/http/errors";
import { json, route } from "@/lib/http/route";
import { handleMcpRequest } from "@/lib/mcp/mcp-server";

export const POST = route({ permission: "workspace.read" }, ({ req, principal, requestId }) => handleMcpRequest(req, principal, requestId));

const postOnly = route({ permission: "workspace.read" }, async () =>
  json(errorBody(new ApiError("method_not_allowed", "This MCP server is stateless: send every message as a POST.")), 405, { allow: "POST" }),
);
export const GET = postOnly;
export const DELETE = postOnly;
