import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { Alert } from "@/components/ui/alert";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-sm space-y-5">
      <h1 className="text-2xl font-bold tracking-tight">Choose a new password</h1>
      {typeof token === "string" && token ? (
        <ResetPasswordForm token={token} />
      ) : (
        <Alert tone="error">
          This page needs the link from the reset mail.{" "}
          <Link href="/forgot-password" className="font-medium underline">
            Ask for a link
          </Link>
        </Alert>
      )}
    </div>
  );
}
