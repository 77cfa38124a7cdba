import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { KeyValueList } from "@/components/ui/key-value-list";
import { buttonClass } from "@/components/ui/button";
import { InvitationsPanel } from "@/components/workspace/invitations-panel";
import { MembersPanel } from "@/components/workspace/members-panel";
import { SpendCapPanel } from "@/components/workspace/spend-cap-panel";
import { VersionPinsPanel } from "@/components/workspace/version-pins-panel";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "Workspace" };

const number = new Intl.NumberFormat("en-US");

export default async function WorkspacePage() {
  const principal = await requirePrincipal("/workspace");
  const tier = await db.tier.findUniqueOrThrow({ where: { code: principal.workspace.tierCode } });
  const limits: [string, string][] = [
    ["Requests per minute", number.format(tier.requestsPerMinute)],
    ["Runs per hour", number.format(tier.runsPerHour)],
    ["Concurrent runs", number.format(tier.concurrentRuns)],
    ["Tokens per day", number.format(tier.tokensPerDay)],
  ];
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <p className="text-sm text-slate-500">Workspace</p>
          <h1 className="text-2xl font-bold tracking-tight">{principal.workspace.name}</h1>
        </div>
        <div className="flex flex-wrap gap-2">
          {principal.role === "OWNER" && <Link href="/workspace/webhooks" className={buttonClass("secondary")}>Webhooks</Link>}
          <Link href="/keys" className={buttonClass("secondary")}>Manage API keys</Link>
        </div>
      </div>
      {principal.workspace.suspended && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          This workspace is suspended. Contact support.
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title={`${tier.name} plan`} description="Your limits on this plan." className="lg:col-span-1">
          <KeyValueList rows={limits} />
        </Card>
        <div className="space-y-6 lg:col-span-2">
          <SpendCapPanel isOwner={principal.role === "OWNER"} />
          <VersionPinsPanel isOwner={principal.role === "OWNER"} />
          <MembersPanel isOwner={principal.role === "OWNER"} currentUserId={principal.userId} />
          {principal.role === "OWNER" && <InvitationsPanel />}
        </div>
      </div>
    </div>
  );
}
