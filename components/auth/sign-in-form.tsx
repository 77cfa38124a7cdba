"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

const oauthErrors: Record<string, string> = {
  OAuthAccountNotLinked: "This email already has an Agora account. Sign in with your password.",
  AccessDenied: "Access denied.",
  CredentialsSignin: "Invalid email or password.",
};

export function SignInForm({ callbackUrl, github, initialError }: { callbackUrl: string; github: boolean; initialError?: string }) {
  const router = useRouter();
  const [error, setError] = useState(initialError ? (oauthErrors[initialError] ?? "Sign-in failed. Try again.") : "");
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError("");
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    if (!result || result.error) {
      setPending(false);
      setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Invalid email or password.");
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  return (
    <div className="space-y-5">
      <form method="post" onSubmit={onSubmit} className="space-y-4 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200" noValidate>
        {error && <Alert tone="error">{error}</Alert>}
        <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <p className="text-right text-sm">
          <Link href="/forgot-password" className="font-medium text-brand-700 hover:underline">
            Forgot password?
          </Link>
        </p>
        <Button type="submit" className="w-full" pending={pending}>
          Sign in
        </Button>
      </form>
      {github && (
        <Button variant="secondary" className="w-full" onClick={() => void signIn("github", { callbackUrl })}>
          Continue with GitHub
        </Button>
      )}
      <p className="text-center text-sm text-slate-600">
        New to Agora?{" "}
        <Link href="/signup" className="font-medium text-brand-700 hover:underline">
          Create an account
        </Link>
      </p>
    </div>
  );
}
