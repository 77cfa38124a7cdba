import type { PrincipalWorkspace } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/http/errors";

/** When a past-due workspace's grace period ends (null: not past due). */
export function graceEndsAt(pastDueSince: Date | null): Date | null {
  return pastDueSince ? new Date(pastDueSince.getTime() + env().AGORA_BILLING_GRACE_DAYS * 86_400_000) : null;
}

/** SPEC §8: after an unpaid invoice, runs keep working through the grace period, then get 402 until it is paid. */
export function assertPaymentInGoodStanding(w: Pick<PrincipalWorkspace, "pastDueSince">, now = new Date()): void {
  const ends = graceEndsAt(w.pastDueSince);
  if (!ends || now < ends) return;
  throw new ApiError("payment_past_due", `A payment failed on ${w.pastDueSince!.toISOString().slice(0, 10)} and the grace period has ended: update the payment method with Manage billing to run agents again.`, {
    pastDueSince: w.pastDueSince!.toISOString(),
    graceEndedAt: ends.toISOString(),
    billingUrl: "/billing",
  });
}
