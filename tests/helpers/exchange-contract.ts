import { getDb } from "@/lib/db/client";
import { holdBudget, shrinkToContract } from "@/lib/exchange/escrow";
import { lockWork, moveWork } from "@/lib/exchange/transition";
import { createUser, setWallet } from "./factories";
import { createProvider, thirdPartyPackage } from "./market";

// An exchange work made directly in the database up to its award (the posting and
// award paths are part A's): the buyer's budget held, the provider's bid — by hand
// (delivered by upload) unless `pkg` is given (delivered by a run of it) — and the
// contract at the bid's price with the escrow shrunk to it. Hand bids by default:
// a contract with a package gets its delivery run started by any process's
// `exchange.deliver` job, and tests in parallel run such processes.

const HOUR = 3_600_000;

export type AwardOptions = {
  price: bigint;
  budget?: bigint;
  wallet?: bigint;
  feeBps?: number;
  acceptance?: object;
  input?: object;
  deliveryInMs?: number;
  /** An existing provider instead of a new one (a new one gets a published package, so its trust is computed). */
  seller?: Awaited<ReturnType<typeof createProvider>>;
  /** The package the bid delivers with (a delivery run); none: a hand bid. */
  pkg?: { id: string; slug: string };
};

export async function awardedWork(o: AwardOptions) {
  const db = getDb();
  const buyer = await createUser("buyer", { tier: "enterprise" });
  await setWallet(buyer.workspace.id, o.wallet ?? 10_000_000n);
  const seller = o.seller ?? (await createProvider("seller", { feeBps: o.feeBps ?? 2_000 }));
  if (!o.seller) await thirdPartyPackage(seller.provider.id, 10_000n);
  const pkg = o.pkg ?? null;
  const deliveryDeadline = new Date(Date.now() + (o.deliveryInMs ?? 2 * HOUR));
  const acceptance = o.acceptance ?? { outputSchema: { type: "object", properties: { summary: { type: "string" } }, required: ["summary"] }, checks: [{ type: "regex", path: "/summary", pattern: "\\.$" }] };
  const work = await db.$transaction(async (tx) => {
    const w = await tx.work.create({
      data: { workspaceId: buyer.workspace.id, createdByUserId: buyer.user.id, title: "Summarise", description: "", input: o.input ?? {}, acceptance, budgetMicros: o.budget ?? 5_000_000n, bidDeadline: new Date(Date.now() + HOUR / 2), deliveryDeadline },
    });
    await holdBudget(tx, w);
    return w;
  });
  const bid = await db.bid.create({ data: { workId: work.id, providerId: seller.provider.id, packageId: pkg?.id ?? null, packageSlug: pkg?.slug ?? "", priceMicros: o.price, promisedMinutes: 30 } });
  const contract = await db.$transaction(async (tx) => {
    const w = await lockWork(tx, work.id);
    const feeBps = o.feeBps ?? 2_000;
    const c = await tx.contract.create({ data: { workId: w.id, bidId: bid.id, providerId: seller.provider.id, packageId: pkg?.id ?? null, priceMicros: o.price, feeBps, deliveryDeadline } });
    await shrinkToContract(tx, w, c);
    await moveWork(tx, w, "AWARDED", { type: "awarded", action: "awarded" });
    return c;
  });
  return { buyer, seller, work, contract };
}
