"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { RequestFailure } from "@/components/api/fetch-json";
import { NewPasswordField } from "@/components/auth/new-password-field";
import { changePasswordBodySchema } from "@/lib/accounts/schemas";
import { zodIssues } from "@/lib/http/errors";
import { useChangePassword } from "./use-account";

/** Current password + new one; on success every session ends and the user signs in again. */
export function ChangePasswordForm() {
  const change = useChangePassword();
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = changePasswordBodySchema.safeParse(Object.fromEntries(new FormData(e.currentTarget)));
    if (!parsed.success) return setErrors(Object.fromEntries(zodIssues(parsed.error).map((i) => [i.path, i.message])));
    setErrors({});
    change.mutate(parsed.data, { onError: (err) => setErrors(err instanceof RequestFailure ? err.fieldErrors : {}) });
  }

  const fieldless = change.error && !Object.keys(errors).length;
  return (
    <form method="post" onSubmit={onSubmit} className="max-w-sm space-y-4" noValidate>
      {fieldless && <Alert tone="error">{change.error.message}</Alert>}
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={errors.currentPassword} />
      <NewPasswordField label="New password" name="newPassword" error={errors.newPassword} />
      <Button type="submit" pending={change.isPending || change.isSuccess}>
        Change password
      </Button>
    </form>
  );
}
