import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { formatUsd } from "@/components/ui/format";
import { db } from "@/lib/db/client";
import { mailAvailable } from "@/lib/mail/mail";
import { startingCreditMicros } from "@/lib/workspaces/grant-starting-credit";

/**
 * What a signed-out visitor sees instead of the run form: an account, with the
 * starting credit said as it is granted (on e-mail verification, or with the first
 * top-up where no mail is sent), and sign-in; both come back to `returnTo`.
 */
export async function SignUpToRun({ agentName, returnTo }: { agentName: string; returnTo: string }) {
  const creditMicros = Number(await startingCreditMicros(db));
  const mailVerifies = mailAvailable();
  const back = encodeURIComponent(returnTo);
  return (
    <div className="space-y-3 text-sm text-slate-600">
      <p className="text-base font-medium text-slate-900">
        Create an account to run {agentName}
        {creditMicros > 0 && <> — {formatUsd(creditMicros)} free credit</>}
      </p>
      <p>
        {creditMicros > 0 && (mailVerifies ? "The credit arrives when you verify your e-mail address. " : "The credit arrives with your first top-up. ")}
        Run it from this page, or call it with an API key.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <Link href={`/signup?callbackUrl=${back}`} className={buttonClass("primary")}>
          Create an account
        </Link>
        <Link href={`/signin?callbackUrl=${back}`} className={buttonClass("secondary")}>
          Sign in
        </Link>
      </div>
    </div>
  );
}
