"use client";

import { formatUsd } from "@/components/ui/format";
import { useResendVerification } from "./use-email-verification";

/** Under the header while the signed-in user's address is unverified and their starting credit waits on it. */
export function VerifyEmailBanner({ creditMicros }: { creditMicros: number }) {
  const resend = useResendVerification();
  return (
    <div role="status" data-testid="verify-email" className="border-b border-brand-200 bg-brand-50 px-4 py-2 text-center text-sm text-brand-900">
      Verify your e-mail to receive your {formatUsd(creditMicros)} starting credit: follow the link we mailed you.{" "}
      {resend.isSuccess ? (
        <span>A new link is on its way to {resend.data.sentTo}.</span>
      ) : (
        <button type="button" className="font-medium underline disabled:opacity-60" disabled={resend.isPending} onClick={() => resend.mutate()}>
          Send a new link
        </button>
      )}
      {resend.error && <span className="ml-2 text-red-800">{resend.error.message}</span>}
    </div>
  );
}
