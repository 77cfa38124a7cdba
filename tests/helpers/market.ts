import { randomUUID } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { hold, SYSTEM_ACCOUNTS, walletFor } from "@/lib/ledger/ledger";
import type { FinishableRun } from "@/lib/runs/finish-run";
import { createUser } from "./factories";

// Issue 19's market, made directly in the database: a provider (its owner's
// workspace), a published third-party package of it, and runs of it RUNNING
// with their credit hold, ready for finishRun (the hosted/remote runtimes that
// would run them are built elsewhere).

export const MARKET_MODEL = "claude-sonnet-5-5";

export async function createProvider(label: string, opts: { feeBps?: number } = {}) {
  const owner = await createUser(label);
  const slug = `${label}-${randomUUID().slice(0, 8)}`;
  const provider = await getDb().provider.create({ data: { workspaceId: owner.workspace.id, slug, name: `${label} Labs`, platformFeeBps: opts.feeBps ?? null } });
  return { owner, provider };
}

export async function thirdPartyPackage(providerId: string, baseFeeMicros: bigint, kind: "HOSTED" | "REMOTE" = "HOSTED") {
  const slug = `pkg-${randomUUID().slice(0, 8)}`;
  return getDb().agentPackage.create({
    data: {
      slug, version: "1.0.0", name: slug, summary: "A test package.", description: "", category: "research", capabilities: [], kind, providerId,
      model: MARKET_MODEL, maxOutputTokens: 1_000, baseFeeMicros, inputSchema: { type: "object" }, outputSchema: { type: "object" }, exampleInput: {}, publishedAt: new Date(),
    },
  });
}

/** A RUNNING run of `pkg` for `workspaceId`, holding `holdMicros` of its wallet (as its acceptance would have). */
export async function heldRun(workspaceId: string, pkg: { id: string; slug: string; version: string }, holdMicros: bigint): Promise<FinishableRun> {
  const db = getDb();
  const run = await db.run.create({
    data: { workspaceId, packageId: pkg.id, agentSlug: pkg.slug, packageVersion: pkg.version, status: "RUNNING", input: {}, provider: "anthropic", model: MARKET_MODEL, startedAt: new Date() },
  });
  await db.$transaction(async (tx) =>
    hold(tx, { debit: await walletFor(tx, workspaceId), credit: SYSTEM_ACCOUNTS.revenue, amount: holdMicros, reason: "run_charge", idempotencyKey: `run:${run.id}:hold`, workspaceId, runId: run.id, expiresAt: new Date(Date.now() + 86_400_000) }),
  );
  return { id: run.id, workspaceId, apiKeyId: null, agentSlug: pkg.slug, packageId: pkg.id, model: MARKET_MODEL };
}
