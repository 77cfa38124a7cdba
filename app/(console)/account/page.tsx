import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { SignOutEverywhere } from "@/components/account/sign-out-everywhere";
import { NotificationPreferences } from "@/components/notifications/notification-preferences";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePrincipal } from "@/lib/auth/current-principal";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const principal = await requirePrincipal("/account");
  return (
    <div className="space-y-6">
      <PageHeader title="Account">Signed in as {principal.email}.</PageHeader>
      <Card title="Change password" description="Changing it signs you out everywhere, this browser included: you then sign in with the new password.">
        <ChangePasswordForm />
      </Card>
      <div id="notifications" className="scroll-mt-4">
        <Card title="Notifications" description={`What the bell in the header shows you in ${principal.workspace.name}. Money alerts (low balance, top-ups, payouts) are always on.`}>
          <NotificationPreferences />
        </Card>
      </div>
      <Card title="Sessions" description="Ends every session of your account, on every device, this one included. API keys are not affected: revoke them on the Keys page.">
        <SignOutEverywhere />
      </Card>
    </div>
  );
}
