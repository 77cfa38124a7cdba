import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { Alert } from "@/components/ui/alert";
import { mailAvailable } from "@/lib/mail/mail";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <div className="mx-auto max-w-sm space-y-5">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Reset your password</h1>
        <p className="mt-1 text-sm text-slate-600">We mail you a link to choose a new one.</p>
      </div>
      {mailAvailable() ? (
        <ForgotPasswordForm />
      ) : (
        <Alert tone="warning">Password reset by e-mail is not available on this server (no mail is configured). Ask the operator to reset your password.</Alert>
      )}
      <p className="text-center text-sm text-slate-600">
        <Link href="/signin" className="font-medium text-brand-700 hover:underline">
          Back to sign in
        </Link>
      </p>
    </div>
  );
}
