import type { DbTx } from "@/lib/db/client";
import { runBreakdown } from "@/lib/runs/run-queries";
import type { Receipt } from "./schemas";

// A finished run's receipt (webhooks of run.succeeded / run.failed / run.canceled): built from the
// run and the ledger's transfers on the workspace's wallet, so its numbers are the ledger's —
// `holdMicros` is the hold's amount, `chargedMicros` what its resolution posted, `releasedMicros` the rest.

export async function runReceipt(workspaceId: string, runId: string, tx: DbTx): Promise<Receipt | null> {
  const [run, wallet] = await Promise.all([
    tx.run.findFirst({
      where: { id: runId, workspaceId },
      select: { id: true, agentSlug: true, packageVersion: true, status: true, priceMicros: true, inputTokens: true, outputTokens: true, cacheWriteTokens: true, cacheReadTokens: true },
    }),
    tx.ledgerAccount.findUnique({ where: { workspaceId }, select: { id: true } }),
  ]);
  if (!run) return null;
  const transfers = wallet
    ? await tx.transfer.findMany({
        where: { runId, OR: [{ debitAccountId: wallet.id }, { creditAccountId: wallet.id }] },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, kind: true, reason: true, amountMicros: true, debitAccountId: true, pendingId: true, createdAt: true },
      })
    : [];
  const hold = transfers.find((t) => t.kind === "PENDING" && t.debitAccountId === wallet?.id);
  const resolution = hold ? transfers.find((t) => t.pendingId === hold.id) : undefined;
  const holdMicros = Number(hold?.amountMicros ?? 0n);
  const chargedMicros = resolution?.kind === "POST_PENDING" ? Number(resolution.amountMicros) : 0;
  return {
    runId: run.id,
    agent: run.agentSlug,
    version: run.packageVersion,
    status: run.status,
    holdMicros,
    chargedMicros,
    releasedMicros: resolution ? holdMicros - chargedMicros : 0,
    priceMicros: Number(run.priceMicros),
    breakdown: await runBreakdown(run.id, tx),
    tokens: { input: run.inputTokens, output: run.outputTokens, cacheWrite: run.cacheWriteTokens, cacheRead: run.cacheReadTokens },
    transfers: transfers.map((t) => ({
      id: t.id,
      kind: t.kind,
      reason: t.reason,
      amountMicros: Number(t.amountMicros),
      direction: t.debitAccountId === wallet?.id ? "debit" : "credit",
      resolves: t.pendingId,
      createdAt: t.createdAt.toISOString(),
    })),
  };
}
