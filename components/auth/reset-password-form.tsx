"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { RequestFailure } from "@/components/api/fetch-json";
import { useResetPassword } from "@/components/account/use-account";
import { resetPasswordBodySchema } from "@/lib/accounts/schemas";
import { NewPasswordField } from "./new-password-field";
import { zodIssues } from "@/lib/http/errors";

/** The new password for a mailed reset link; a used, expired or unknown link says so and offers a new one. */
export function ResetPasswordForm({ token }: { token: string }) {
  const router = useRouter();
  const reset = useResetPassword();
  const [error, setError] = useState<string>();

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = resetPasswordBodySchema.safeParse({ token, password: new FormData(e.currentTarget).get("password") });
    if (!parsed.success) return setError(zodIssues(parsed.error)[0]?.message);
    setError(undefined);
    reset.mutate(parsed.data, {
      onSuccess: () => router.push("/signin?notice=password-reset"),
      onError: (err) => setError(err instanceof RequestFailure ? err.fieldErrors.password : undefined),
    });
  }

  const linkFailed = reset.error instanceof RequestFailure && (reset.error.code === "gone" || reset.error.code === "not_found");
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200" noValidate>
      {reset.error && !error && (
        <Alert tone="error">
          {reset.error.message}{" "}
          {linkFailed && (
            <Link href="/forgot-password" className="font-medium underline">
              Ask for a new link
            </Link>
          )}
        </Alert>
      )}
      <NewPasswordField label="New password" name="password" autoFocus note="Setting it signs you out everywhere." error={error} />
      <Button type="submit" className="w-full" pending={reset.isPending || reset.isSuccess}>
        Set new password
      </Button>
    </form>
  );
}
