import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import { AgentCard } from "@/components/agents/agent-card";
import { VerifiedBadge } from "@/components/agents/published-by";
import { TrustBadge } from "@/components/agents/trust-badge";
import { ProviderLogo } from "@/components/provider/provider-logo";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { EmptyState } from "@/components/ui/empty-state";
import { Markdown } from "@/components/ui/markdown";
import { orNotFound } from "@/lib/http/or-not-found";
import { providerTrust } from "@/lib/packages/trust";
import { getPublicProvider, type PublicProvider } from "@/lib/providers/providers";

type Params = { params: Promise<{ slug: string }> };

// Metadata and page share one read per request.
const load = cache((slug: string): Promise<PublicProvider> => orNotFound(getPublicProvider(slug)));

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const provider = await load((await params).slug);
  return { title: `${provider.name} · Providers`, description: provider.description.slice(0, 160) || `Agents published by ${provider.name}.` };
}

/** A provider's public page (no sign-in): who they are, how to reach them, and their published agents. */
export default async function ProviderPage({ params }: Params) {
  const provider = await load((await params).slug);
  const trust = await providerTrust(provider.id);
  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/agents", label: "Agents" }} current={provider.name} />
      <header className="flex flex-col gap-4 sm:flex-row sm:items-start">
        <ProviderLogo name={provider.name} logoUrl={provider.logoUrl} />
        <div className="min-w-0 space-y-2">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-bold tracking-tight">{provider.name}</h1>
            {provider.verified && <VerifiedBadge />}
          </div>
          <TrustBadge trust={trust} />
          <p className="text-sm text-slate-600">
            Support:{" "}
            {provider.supportUrl && (
              <a href={provider.supportUrl} rel="noopener noreferrer nofollow" className="break-all underline">
                {provider.supportUrl}
              </a>
            )}
            {provider.supportUrl && provider.supportEmail && " · "}
            {provider.supportEmail && (
              <a href={`mailto:${provider.supportEmail}`} className="break-all underline">
                {provider.supportEmail}
              </a>
            )}
            {!provider.supportUrl && !provider.supportEmail && "through Agora"}
          </p>
        </div>
      </header>
      {provider.description && (
        <section aria-label="About" className="max-w-3xl">
          <Markdown>{provider.description}</Markdown>
        </section>
      )}
      <section aria-labelledby="provider-agents" className="space-y-3">
        <h2 id="provider-agents" className="text-lg font-semibold">
          Agents
        </h2>
        {provider.packages.length === 0 ? (
          <EmptyState title="No published agents yet">
            {provider.name} has not published an agent. <Link href="/agents" className="underline">Browse all agents</Link>
          </EmptyState>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {provider.packages.map((a) => (
              <AgentCard key={a.slug} agent={a} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
