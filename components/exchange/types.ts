import type { Acceptance } from "@/lib/exchange/acceptance";
import type { listProviderBids } from "@/lib/exchange/bids";
import type { listDisputes } from "@/lib/exchange/disputes";
import type { listProviderContracts } from "@/lib/exchange/provider-contracts";
import type { WorkDetailJson } from "@/lib/exchange/work";
import type { WorkJson as WorkRowJson } from "@/lib/exchange/work-json";

// The exchange's JSON as /api/v1/work… answers it (lib/exchange/work-json.ts and the list functions), as the pages read it.

export type { Acceptance, AcceptanceCheck } from "@/lib/exchange/acceptance";
export type { WorkStatus } from "@/lib/generated/prisma/enums";
export type { BidJson, ContractJson, DeliveryJson } from "@/lib/exchange/work-json";
export type { BidRank } from "@/lib/exchange/evaluation";

/** The stored acceptance criteria were compiled at posting: they have the parsed shape. */
export type WorkJson = Omit<WorkRowJson, "acceptance"> & { acceptance: Acceptance };
export type WorkDetail = Omit<WorkDetailJson, "acceptance"> & { acceptance: Acceptance };
export type WorkEventJson = WorkDetail["events"][number];

export type Page<T> = { data: T[]; nextCursor: string | null };

type ListItem<F extends (...args: never[]) => Promise<{ data: unknown[] }>> = Awaited<ReturnType<F>>["data"][number];
/** A provider's bid with its work (GET /api/v1/provider/bids). */
export type ProviderBid = ListItem<typeof listProviderBids>;
/** A provider's contract with its work (GET /api/v1/provider/contracts). */
export type ProviderContract = ListItem<typeof listProviderContracts>;
/** A disputed contract in the admin queue (GET /api/v1/admin/disputes). */
export type DisputeJson = ListItem<typeof listDisputes>;
