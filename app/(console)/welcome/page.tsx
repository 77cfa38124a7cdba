import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Usd } from "@/components/ui/usd";
import { pendingStartingCredit } from "@/lib/accounts/email-verification";
import { requirePrincipal } from "@/lib/auth/current-principal";
import { db } from "@/lib/db/client";
import { workspaceBalance } from "@/lib/ledger/ledger";

export const metadata: Metadata = { title: "Welcome" };

/** Agents a first run goes well with: quick, cheap, and their example shows what they do. */
const FIRST_AGENTS = ["security-scanner", "data-processor"];

/** The first screen after sign-up: the starting credit, one-click first runs, and where to go next. */
export default async function WelcomePage() {
  const principal = await requirePrincipal("/welcome");
  const [awaitingCredit, balance, agents] = await Promise.all([
    pendingStartingCredit(principal.userId),
    workspaceBalance(db, principal.workspace.id),
    db.agentPackage.findMany({
      where: { slug: { in: FIRST_AGENTS }, status: "PUBLISHED" },
      distinct: ["slug"],
      orderBy: [{ slug: "desc" }, { createdAt: "desc" }],
      select: { slug: true, name: true, summary: true },
    }),
  ]);
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Welcome to Agora{principal.name ? `, ${principal.name}` : ""}</h1>
        <p className="mt-1 text-slate-600">Run AI agents and pay for what they use, to the micro-dollar. Failed runs are free.</p>
      </div>
      <p className="rounded-lg bg-brand-50 px-4 py-3 text-sm text-brand-900 ring-1 ring-brand-200" data-testid="welcome-credit">
        {awaitingCredit !== null ? (
          <>
            Your <Usd micros={Number(awaitingCredit)} /> starting credit arrives once you verify your e-mail: follow the link we mailed you.
          </>
        ) : (
          <>
            Your workspace has <strong className="tabular-nums"><Usd micros={Number(balance.availableMicros)} /></strong> of credit: enough to try every agent.
          </>
        )}
      </p>
      <Card title="Run your first agent" description="Each opens with its example filled in: press Run agent and watch it work.">
        <ul className="grid gap-3 sm:grid-cols-2">
          {agents.map((a) => (
            <li key={a.slug} className="flex flex-col gap-2 rounded-md p-3 ring-1 ring-slate-200">
              <h2 className="font-semibold">{a.name}</h2>
              <p className="flex-1 text-sm text-slate-600">{a.summary}</p>
              <Link href={`/agents/${a.slug}?example=1`} className={buttonClass("primary")}>
                Try {a.name}
              </Link>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Next">
        <ul className="space-y-2 text-sm">
          <li>
            <Link href="/agents" className="font-medium text-brand-700 underline">Browse all agents</Link> and their prices.
          </li>
          <li>
            <Link href="/keys" className="font-medium text-brand-700 underline">Create an API key</Link> to start runs from your code; every agent page shows the call.
          </li>
          <li>
            <Link href="/workspace" className="font-medium text-brand-700 underline">Your workspace</Link>: plan limits, spend cap and members.
          </li>
        </ul>
      </Card>
    </div>
  );
}
