import type { ReadResourceResult, Resource } from "@modelcontextprotocol/sdk/types.js";
import { db } from "@/lib/db/client";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { formatUsdExact, microsJson } from "@/lib/money/format";

// The MCP resource agora://balance: the caller's workspace balance, read as GET /api/v1/me reads it.

export const BALANCE_URI = "agora://balance";

export const balanceResource: Resource = {
  uri: BALANCE_URI,
  name: "balance",
  title: "Workspace balance",
  description: "The Agora workspace's credit: available (what runs can spend), posted and held, in micro-USD (1 USD = 1,000,000) and as USD.",
  mimeType: "application/json",
};

export async function readBalance(workspaceId: string): Promise<ReadResourceResult> {
  const b = await workspaceBalance(db, workspaceId);
  const availableMicros = microsJson(b.availableMicros);
  const balance = { availableMicros, available: formatUsdExact(availableMicros), postedMicros: microsJson(b.postedMicros), heldMicros: microsJson(b.pendingDebitsMicros) };
  return { contents: [{ uri: BALANCE_URI, mimeType: "application/json", text: JSON.stringify(balance) }] };
}
