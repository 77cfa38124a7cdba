import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { currentPrincipal } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage() {
  if (await currentPrincipal()) redirect("/workspace");
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold tracking-tight">Create your Agora account</h1>
      <p className="mb-6 mt-1 text-sm text-slate-600">You get a personal workspace on the Free tier.</p>
      <SignUpForm />
    </div>
  );
}
