import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { currentPrincipal } from "@/lib/auth/current-principal";

const steps = [
  { title: "Find an agent", body: "Browse packages with typed inputs and outputs: security scanning, data processing, reports, incident response and more." },
  { title: "Run it anywhere", body: "From the browser with a generated form, or from your code with an API key. Every run streams live." },
  { title: "Pay per token", body: "Each run is metered to the token and charged against prepaid credits or a metered subscription — with a quote up front." },
];

export default async function LandingPage() {
  const principal = await currentPrincipal();
  return (
    <div className="space-y-12 py-6 sm:py-12">
      <section className="max-w-3xl space-y-5">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">The marketplace for AI agents</p>
        <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
          Run AI agents that do real work. Pay for exactly what they use.
        </h1>
        <p className="text-lg text-slate-600">
          Agora gives your team a catalog of agent packages — each a prompt, a model and server-side tools with typed input and
          output. Run them from the browser or the REST API, watch every step live, and see the cost of every run to the token.
        </p>
        <div className="flex flex-wrap gap-3">
          <Link href="/agents" className={buttonClass("primary")}>
            Browse agents
          </Link>
          {principal ? (
            <Link href="/runs" className={buttonClass("secondary")}>
              Your runs
            </Link>
          ) : (
            <>
              <Link href="/signup" className={buttonClass("secondary")}>
                Create a free account
              </Link>
              <Link href="/signin" className={buttonClass("secondary")}>
                Sign in
              </Link>
            </>
          )}
        </div>
        <p className="text-sm text-slate-500">The Free tier includes $1 of credits every month. No card needed.</p>
      </section>
      <ol className="grid gap-4 sm:grid-cols-3">
        {steps.map((s, i) => (
          <li key={s.title} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <p className="text-sm font-semibold text-brand-600">Step {i + 1}</p>
            <h2 className="mt-1 font-semibold text-slate-900">{s.title}</h2>
            <p className="mt-2 text-sm text-slate-600">{s.body}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}
