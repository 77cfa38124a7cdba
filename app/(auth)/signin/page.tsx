import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { signInNotice } from "@/components/auth/sign-in-notices";
import { Alert } from "@/components/ui/alert";
import { currentPrincipal } from "@/lib/auth/current-principal";
import { env, githubEnabled } from "@/lib/env";
import { safeCallbackUrl } from "@/lib/auth/safe-callback-url";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string; notice?: string }> }) {
  const { callbackUrl, error, notice } = await searchParams;
  const target = safeCallbackUrl(callbackUrl);
  if (await currentPrincipal()) redirect(target);
  const why = signInNotice(notice);
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-6 text-2xl font-bold tracking-tight">Sign in to Agora</h1>
      {why && (
        <Alert tone="success" className="mb-4">
          {why}
        </Alert>
      )}
      <SignInForm callbackUrl={target} github={githubEnabled(env())} initialError={error} />
    </div>
  );
}
