import type { NextRequest } from "next/server";
import type { Principal } from "@/lib/auth/principal";
import { db } from "@/lib/db/client";
import { appUrl } from "@/lib/http/app-url";
import { ApiError } from "@/lib/http/errors";
import { dashboardLink, onboardingLink, syncConnectAccount } from "./connect";

// What the provider's Connect routes (app/api/v1/provider/connect/…) do for the signed-in workspace owner.

/** A 303 to `location` (its headers stay writable: the route wrapper adds its own). */
export const seeOther = (location: string) => new Response(null, { status: 303, headers: { location } });

async function providerOf(principal: Principal) {
  const p = await db.provider.findUnique({ where: { workspaceId: principal.workspace.id }, select: { id: true, stripeAccountId: true } });
  if (!p) throw new ApiError("not_found", "This workspace is not a provider yet; create its provider profile first.");
  return p;
}

/** A fresh onboarding link for the caller's provider (its account made the first time). */
export async function connectOnboardingUrl(req: NextRequest, principal: Principal): Promise<string> {
  const base = appUrl(req);
  return onboardingLink((await providerOf(principal)).id, { returnUrl: `${base}/api/v1/provider/connect/return`, refreshUrl: `${base}/api/v1/provider/connect/refresh` });
}

/** Back from Stripe: the account re-read (returning does not mean onboarding is done), then the dashboard. */
export async function connectReturn(req: NextRequest, principal: Principal): Promise<Response> {
  const p = await providerOf(principal);
  if (p.stripeAccountId) await syncConnectAccount(p.stripeAccountId);
  return seeOther(`${appUrl(req)}/provider#payouts`);
}

/** The Express dashboard of an onboarded provider (409 before onboarding). */
export async function connectDashboardUrl(principal: Principal): Promise<string> {
  const p = await providerOf(principal);
  if (!p.stripeAccountId) throw new ApiError("conflict", "Set up payouts first: your Stripe account does not exist yet.");
  return dashboardLink(p.stripeAccountId);
}
