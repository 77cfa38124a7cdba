import type { Metadata } from "next";
import Link from "next/link";
import { AgentStats } from "@/components/agents/agent-card";
import { AgentPrice } from "@/components/agents/agent-price";
import { PublishedBy } from "@/components/agents/published-by";
import { AgentReviews } from "@/components/agents/reviews";
import { SignUpToRun } from "@/components/agents/sign-up-to-run";
import { TrustBadge } from "@/components/agents/trust-badge";
import { AgentVersions } from "@/components/agents/versions-section";
import { TryAnotherVersion } from "@/components/agents/try-another-version";
import { ApiCallSnippets } from "@/components/runs/api-call-snippets";
import type { JsonSchema } from "@/components/agents/json-schema";
import { RunForm } from "@/components/agents/run-form";
import { cache } from "react";
import { Badge } from "@/components/ui/badge";
import { Breadcrumb } from "@/components/ui/breadcrumb";
import { Card } from "@/components/ui/card";
import { Markdown } from "@/components/ui/markdown";
import { getAgent, type AgentDetail } from "@/lib/agents/catalog";
import { currentPrincipal } from "@/lib/auth/current-principal";
import { ApiError } from "@/lib/http/errors";
import { orNotFound } from "@/lib/http/or-not-found";
import { runFormVersions } from "@/lib/packages/pins";
import { runExecutor } from "@/lib/runs/run-executor-instance";
import { getRun } from "@/lib/runs/run-queries";

type Params = { params: Promise<{ slug: string }> };
type SearchParams = { searchParams: Promise<{ example?: string | string[]; from?: string | string[] }> };

// Metadata and page share one read per request.
const load = cache((slug: string): Promise<AgentDetail> => orNotFound(getAgent(slug)));

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const agent = await load((await params).slug);
  return { title: agent.name, description: agent.summary };
}

/**
 * `?example=1` (the welcome page's first runs) opens the form with the agent's example filled in;
 * `?from=<runId>` ("Edit and re-run") with that run's input.
 */
export default async function AgentPage({ params, searchParams }: Params & SearchParams) {
  const { slug } = await params;
  const { from, example } = await searchParams;
  const [agent, principal] = await Promise.all([load(slug), currentPrincipal()]);
  const rerun = principal && typeof from === "string" ? await runInputToEdit(principal.workspace.id, from, slug) : undefined;
  const versions = principal ? await runFormVersions(slug, principal.workspace.packagePins) : undefined;
  const offline = runExecutor().providerName === "offline";

  return (
    <div className="space-y-6">
      <Breadcrumb parent={{ href: "/agents", label: "Agents" }} current={agent.name} />
      <header className="space-y-3">
        <div className="flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-bold tracking-tight">{agent.name}</h1>
          <Badge tone="brand">{agent.category}</Badge>
          <Badge>v{agent.version}</Badge>
        </div>
        <PublishedBy provider={agent.provider} />
        <p className="max-w-3xl text-slate-600">{agent.summary}</p>
        <AgentStats agent={agent} price={false} />
        <TrustBadge trust={agent.trust} />
        <AgentPrice agent={agent} offline={offline} />
        {principal && <TryAnotherVersion principal={principal} slug={agent.slug} />}
      </header>

      <div className="grid gap-6 lg:grid-cols-5">
        <div className="min-w-0 space-y-6 lg:col-span-3">
          <Card title="Run it">
            {principal ? (
              <div className="space-y-4">
                {rerun && (
                  <p className="text-sm text-slate-700" data-testid="rerun-note">
                    The form holds the input of run{" "}
                    <Link href={`/runs/${rerun.id}`} className="font-mono underline">
                      {rerun.id}
                    </Link>
                    : edit it and run again.
                  </p>
                )}
                <RunForm agent={agent.slug} schema={agent.inputSchema as JsonSchema} example={agent.exampleInput} initial={rerun ? rerun.input : example === "1" ? agent.exampleInput : undefined} versions={versions} />
              </div>
            ) : (
              <SignUpToRun agentName={agent.name} returnTo={`/agents/${agent.slug}${example === "1" ? "?example=1" : ""}`} />
            )}
          </Card>
          <AgentVersions slug={agent.slug} />
          <AgentReviews slug={agent.slug} agentName={agent.name} signedIn={Boolean(principal)} />
        </div>
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card title="From the API" description="Starts a run on the example input with an API key in AGORA_API_KEY.">
            <ApiCallSnippets agent={agent.slug} input={agent.exampleInput} />
          </Card>
          <Card title="About">
            <Markdown>{agent.description}</Markdown>
          </Card>
          <Card title="Input and output">
            <div className="space-y-3 text-sm">
              <details>
                <summary className="cursor-pointer font-medium text-slate-800">Input JSON Schema</summary>
                <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{JSON.stringify(agent.inputSchema, null, 2)}</pre>
              </details>
              <details>
                <summary className="cursor-pointer font-medium text-slate-800">Output JSON Schema</summary>
                <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{JSON.stringify(agent.outputSchema, null, 2)}</pre>
              </details>
              <details>
                <summary className="cursor-pointer font-medium text-slate-800">Example input</summary>
                <pre className="mt-2 max-h-80 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{JSON.stringify(agent.exampleInput, null, 2)}</pre>
              </details>
            </div>
          </Card>
        </div>
      </div>
    </div>
  );
}

/** "Edit and re-run" (?from=<runId>): that run's input, if it is a run of this agent in the caller's workspace. */
async function runInputToEdit(workspaceId: string, runId: string, slug: string): Promise<{ id: string; input: unknown } | undefined> {
  const run = await getRun(workspaceId, runId).catch((err: unknown) => {
    if (err instanceof ApiError) return null; // not a run of this workspace: an empty form, as without ?from
    throw err;
  });
  return run?.agent === slug ? { id: run.id, input: run.input } : undefined;
}
