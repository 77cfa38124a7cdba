import type { Metadata } from "next";
import { VerifyEmailForm } from "@/components/auth/verify-email-form";
import { Alert } from "@/components/ui/alert";
import { safeCallbackUrl } from "@/lib/auth/safe-callback-url";

export const metadata: Metadata = { title: "Verify your e-mail" };

// The mailed link lands here; the button posts the token. A GET that used it up
// would let a mail scanner's prefetch verify the address instead of its owner.
// `next`: where the user was going when they signed up (an agent page); the welcome page otherwise.
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string | string[]; next?: string | string[] }> }) {
  const { token, next } = await searchParams;
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-bold tracking-tight">Verify your e-mail</h1>
      <p className="mb-6 mt-1 text-sm text-slate-600">Confirm the address you signed up with to receive your starting credit.</p>
      {typeof token === "string" && token ? (
        <VerifyEmailForm token={token} next={safeCallbackUrl(typeof next === "string" ? next : undefined, "/welcome")} />
      ) : (
        <Alert tone="error">This link is incomplete. Open the link from the mail again, or ask for a new one on your workspace page.</Alert>
      )}
    </div>
  );
}
