import type { RunStatus } from "@/lib/generated/prisma/enums";

// A run as the money sees it (SPEC §3): what accepting it holds against, what
// finishing it settles. Types only, importing nothing of ours, so every module
// on the run ↔ money boundary can name them without importing the others.

export type RunRef = { id: string; workspaceId: string; apiKeyId: string | null; agentSlug: string; packageId: string };

/** A third-party package's provider, as its runs' settlement needs it (issue 19): its earnings account and the platform's fee. */
export type ProviderTerms = { id: string; earningsAccountId: string; feeBps: number };

/**
 * What a run's price is made of: the package's base fee and the workspace tier's multiplier; for a
 * third-party package (not the Agora provider's built-ins), its provider, whose share the settlement splits off.
 */
export type PriceTerms = { baseFeeMicros: bigint; priceMultiplierBps: number; provider?: ProviderTerms };

/** What the most a run can cost (its hold) is computed from. */
export type MaxPriceInput = PriceTerms & { model: string; promptTokens: number; maxOutputTokens: number; maxTurns: number; billableEventsMicros?: bigint };

/** What the hold at acceptance needs to know of the workspace: METERED workspaces are held against their cap, not a wallet. */
export type HeldRun = RunRef & MaxPriceInput & { paymentMode: "PREPAID" | "METERED" };

/** A run as its settlement sees it: which model it used and when it finished (the usage rollup's day). */
export type SettledRun = RunRef & { model: string; finishedAt: Date };

export type RunOutcome = {
  status: Extract<RunStatus, "SUCCEEDED" | "FAILED" | "CANCELED">;
  usage: { inputTokens: number; outputTokens: number; cacheWriteTokens: number; cacheReadTokens: number };
  providerCostMicros: bigint;
  priceMicros: bigint;
};
