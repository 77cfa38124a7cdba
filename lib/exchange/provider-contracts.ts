import type { z } from "zod";
import { db } from "@/lib/db/client";
import { newestFirstAfter, newestFirstPage } from "@/lib/http/cursor";
import { paginationQuerySchema } from "@/lib/http/pagination";
import { workspaceProvider } from "@/lib/payouts/dashboard";
import { contractInclude, contractsJson } from "./contract-json";
import type { providerContractPageSchema } from "./work-json-schemas";

// GET /api/v1/provider/contracts: the calling workspace's provider's contracts,
// newest first, each with its work's title and status (what to deliver next).

export const listProviderContractsQuerySchema = paginationQuerySchema;

export async function listProviderContracts(workspaceId: string, q: { cursor?: string; limit: number }): Promise<z.infer<typeof providerContractPageSchema>> {
  const provider = await workspaceProvider(workspaceId);
  const rows = await db.contract.findMany({
    where: { providerId: provider.id, ...newestFirstAfter(q.cursor) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    include: { ...contractInclude, work: { select: { id: true, title: true, status: true } } },
  });
  const { page, nextCursor } = newestFirstPage(rows, q.limit);
  const contracts = await contractsJson(db, page);
  const data = page.map(({ work }, i) => ({ ...contracts[i]!, work }));
  return { data, nextCursor };
}
