import Link from "next/link";
import { currentPrincipal } from "@/lib/auth/current-principal";
import { listUserWorkspaces } from "@/lib/workspaces/members";
import { buttonClass } from "@/components/ui/button";
import { AccountMenu } from "./account-menu";
import { db } from "@/lib/db/client";
import { workspaceBalance } from "@/lib/ledger/ledger";
import { pendingStartingCredit } from "@/lib/accounts/email-verification";
import { VerifyEmailBanner } from "@/components/auth/verify-email-banner";
import { BalanceBadge, LowBalanceBanner } from "./balance-badge";
import { stripeOrNull } from "@/lib/billing/stripe-client";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { NavLinks } from "./nav-links";
import { PhoneMenu } from "./phone-menu";
import { navItems } from "./nav-items";
import { WorkspaceSwitcher } from "./workspace-switcher";

export async function SiteHeader() {
  const principal = await currentPrincipal();
  const workspaces = principal ? await listUserWorkspaces(principal.userId) : [];
  const items = navItems.filter((i) => !i.adminOnly || principal?.isAdmin);
  const available = principal ? Number((await workspaceBalance(db, principal.workspace.id)).availableMicros) : 0;
  const awaitingCredit = principal ? await pendingStartingCredit(principal.userId) : null;

  return (
    <>
      <header className="relative border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-1 px-4 py-3 sm:gap-4 sm:px-6">
          {principal && <PhoneMenu items={items} />}
          <Link href="/" className="text-lg font-bold tracking-tight text-brand-700">
            Agora
          </Link>
          {principal ? (
            <>
              <NavLinks items={items} className="hidden min-w-0 lg:flex" />
              <div className="ml-auto flex items-center gap-1 sm:gap-2">
                <BalanceBadge initialMicros={available} />
                <NotificationBell />
                <WorkspaceSwitcher workspaces={workspaces} current={principal.workspace.id} />
                <AccountMenu email={principal.email} name={principal.name} />
              </div>
            </>
          ) : (
            <div className="ml-auto flex items-center gap-2">
              <NavLinks items={navItems.filter((i) => i.public)} />
              <Link href="/signin" className={buttonClass("ghost")}>
                Sign in
              </Link>
              <Link href="/signup" className={buttonClass("primary")}>
                Sign up
              </Link>
            </div>
          )}
        </div>
      </header>
      {principal && (awaitingCredit !== null ? <VerifyEmailBanner creditMicros={Number(awaitingCredit)} /> : <LowBalanceBanner initialMicros={available} canTopUp={stripeOrNull() !== null} />)}
    </>
  );
}
