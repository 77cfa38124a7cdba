// POST /api/stripe/connect-webhook — the Connect endpoint's events (account.updated, payout.failed), its own secret, signature-verified, each applied once (lib/billing/webhooks/)
import type { NextRequest } from "next/server";
import { readBodyBytes } from "@/lib/http/body";
import { ApiError, errorBody, errorHeaders, toApiError } from "@/lib/http/errors";
import { json } from "@/lib/http/route";
import { log } from "@/lib/observability/log";
import { connectHandlers, processEvent, verifyEvent } from "@/lib/billing/webhooks/process-event";

const MAX_EVENT_BYTES = 1_048_576;

export async function POST(req: NextRequest): Promise<Response> {
  try {
    const raw = new TextDecoder().decode(await readBodyBytes(req, MAX_EVENT_BYTES));
    const event = verifyEvent(raw, req.headers.get("stripe-signature"), true);
    const outcome = await processEvent(event, connectHandlers);
    return json({ received: true, outcome });
  } catch (err) {
    const apiError = toApiError(err);
    // A 5xx asks Stripe to retry (our database or Stripe itself failed); a 4xx says a retry cannot help.
    if (apiError.status >= 500) log.error("stripe webhook failed; Stripe will retry", err instanceof ApiError ? { code: apiError.code } : { err });
    return json(errorBody(apiError), apiError.status, errorHeaders(apiError));
  }
}
