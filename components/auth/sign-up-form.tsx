"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { signUpAction } from "@/app/(auth)/signup/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { signUpBodySchema } from "@/lib/accounts/schemas";
import { NewPasswordField } from "./new-password-field";
import { RequestFailure, unwrapAction } from "@/components/api/fetch-json";
import { zodIssues } from "@/lib/http/errors";

/** `callbackUrl` (a safe same-site path) is where the new user goes next; `defaultEmail` pre-fills the address (from an invitation). */
export function SignUpForm({ callbackUrl = "/welcome", defaultEmail }: { callbackUrl?: string; defaultEmail?: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState("");
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const raw = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
    const parsed = signUpBodySchema.safeParse(raw);
    if (!parsed.success) {
      setErrors(Object.fromEntries(zodIssues(parsed.error).map((i) => [i.path, i.message])));
      return;
    }
    setErrors({});
    setFormError("");
    setPending(true);
    try {
      await unwrapAction(signUpAction({ ...parsed.data, callbackUrl }));
      const result = await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirect: false });
      if (result?.error) throw new RequestFailure("sign_in_failed", "Your account was created, but signing in failed. Sign in manually.");
      router.push(callbackUrl);
      router.refresh();
    } catch (err) {
      setPending(false);
      if (err instanceof RequestFailure) {
        setErrors(err.fieldErrors);
        if (!Object.keys(err.fieldErrors).length) setFormError(err.message);
      } else {
        setFormError("Something went wrong. Try again.");
      }
    }
  }

  return (
    <div className="space-y-5">
      <form method="post" onSubmit={onSubmit} className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200" noValidate>
        {formError && <Alert tone="error">{formError}</Alert>}
        <Field label="Name" name="name" autoComplete="name" required error={errors.name} autoFocus />
        <Field label="Email" name="email" type="email" autoComplete="email" required error={errors.email} defaultValue={defaultEmail} />
        <NewPasswordField label="Password" name="password" error={errors.password} />
        <Button type="submit" className="w-full" pending={pending}>
          Create account
        </Button>
      </form>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`} className="font-medium text-brand-700 hover:underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
