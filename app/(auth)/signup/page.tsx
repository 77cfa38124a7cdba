import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { currentPrincipal } from "@/lib/auth/current-principal";
import { safeCallbackUrl } from "@/lib/auth/safe-callback-url";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; email?: string }> }) {
  const { callbackUrl, email } = await searchParams;
  const target = safeCallbackUrl(callbackUrl, "/welcome");
  if (await currentPrincipal()) redirect(target);
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold tracking-tight">Create your Agora account</h1>
      <p className="mb-6 mt-1 text-sm text-slate-600">You get a personal workspace on the Free tier.</p>
      <SignUpForm callbackUrl={target} defaultEmail={typeof email === "string" ? email.slice(0, 254) : undefined} />
    </div>
  );
}
