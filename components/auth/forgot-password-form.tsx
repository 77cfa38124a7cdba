"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useRequestPasswordReset } from "@/components/account/use-account";
import { requestPasswordResetBodySchema } from "@/lib/accounts/schemas";
import { zodIssues } from "@/lib/http/errors";

export function ForgotPasswordForm() {
  const ask = useRequestPasswordReset();
  const [error, setError] = useState<string>();

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = requestPasswordResetBodySchema.safeParse(Object.fromEntries(new FormData(e.currentTarget)));
    if (!parsed.success) return setError(zodIssues(parsed.error)[0]?.message);
    setError(undefined);
    ask.mutate(parsed.data);
  }

  if (ask.data) return <Alert tone="success">{ask.data.message}</Alert>;
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200" noValidate>
      {ask.error && <Alert tone="error">{ask.error.message}</Alert>}
      <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus error={error} />
      <Button type="submit" className="w-full" pending={ask.isPending}>
        Mail me a reset link
      </Button>
    </form>
  );
}
