import type { WorkStatus } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";

// The work exchange's state machine (issue 21 item 6). A work's status moves
// only along these edges; every other move is refused with 409 (lib/exchange/
// transition.ts applies them, one idempotent, audited transaction each).
//
//   OPEN → AWARDED → DELIVERED → ACCEPTED → SETTLED
//     │       │  ↑       │  └──→ DISPUTED → RESOLVED
//     │       │  └ REDELIVERY (first delivery failed its checks)
//     │       └──────────┴──→ REFUNDED (second failure, missed deadline)
//     └→ CANCELED (before an award), REFUNDED (bid window closed with nothing to award)

export const WORK_TRANSITIONS: Readonly<Record<WorkStatus, readonly WorkStatus[]>> = {
  OPEN: ["AWARDED", "CANCELED", "REFUNDED"],
  AWARDED: ["DELIVERED", "REDELIVERY", "REFUNDED"],
  REDELIVERY: ["DELIVERED", "REFUNDED"],
  DELIVERED: ["ACCEPTED", "DISPUTED"],
  ACCEPTED: ["SETTLED"],
  DISPUTED: ["RESOLVED"],
  SETTLED: [],
  REFUNDED: [],
  RESOLVED: [],
  CANCELED: [],
};

/** Statuses a work ends in: its escrow is resolved, nothing more happens. */
export const FINAL_WORK_STATUSES: readonly WorkStatus[] = ["SETTLED", "REFUNDED", "RESOLVED", "CANCELED"];

/** Statuses in which the escrow hold is still open. */
export const HELD_WORK_STATUSES: readonly WorkStatus[] = ["OPEN", "AWARDED", "REDELIVERY", "DELIVERED", "ACCEPTED", "DISPUTED"];

export const canMove = (from: WorkStatus, to: WorkStatus) => WORK_TRANSITIONS[from].includes(to);

/** 409 naming the work's status and what the request wanted, when that move is not allowed. */
export function assertMove(from: WorkStatus, to: WorkStatus, action: string): void {
  if (canMove(from, to)) return;
  throw new ApiError("conflict", `This work is ${from.toLowerCase()}: it cannot be ${action} now.`, { status: from, wanted: to });
}
