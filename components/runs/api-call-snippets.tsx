"use client";

import { CopyButton } from "@/components/ui/copy-button";
import { useOrigin } from "@/components/ui/use-client-value";
import { curlCommand, fetchSnippet } from "./api-call";

/** The API request that starts a run of `agent` on `input`, as curl and as TypeScript, each with a copy button. */
export function ApiCallSnippets({ agent, input }: { agent: string; input: unknown }) {
  const origin = useOrigin();
  const snippets = [
    { label: "curl", code: curlCommand(origin, agent, input) },
    { label: "TypeScript", code: fetchSnippet(origin, agent, input) },
  ];
  return snippets.map((s) => (
    <div key={s.label} className="mt-3 space-y-1">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-xs font-semibold uppercase text-slate-600">{s.label}</h3>
        <CopyButton text={s.code} label={`Copy ${s.label}`} />
      </div>
      <pre tabIndex={0} data-testid={`api-call-${s.label.toLowerCase()}`} className="max-h-64 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
        {s.code}
      </pre>
    </div>
  ));
}
