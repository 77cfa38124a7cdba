"use client";

import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { useVerifyEmail } from "./use-email-verification";

/** `next`: a safe path, where "Run your first agent" leads (the welcome page, or the agent the user signed up from). */
export function VerifyEmailForm({ token, next }: { token: string; next: string }) {
  const verify = useVerifyEmail();
  if (verify.isSuccess) {
    return (
      <div className="space-y-4">
        <Alert tone="success">
          Your e-mail is verified.{verify.data.startingCreditGranted ? " Your starting credit is in your workspace." : ""}
        </Alert>
        <Link href={next} className={buttonClass("primary", "w-full")}>
          Run your first agent
        </Link>
      </div>
    );
  }
  return (
    <div className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
      {verify.error && <Alert tone="error">{verify.error.message}</Alert>}
      <Button type="button" className="w-full" pending={verify.isPending} onClick={() => verify.mutate(token)}>
        Verify my e-mail
      </Button>
    </div>
  );
}
