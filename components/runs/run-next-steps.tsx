"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { apiFetch } from "@/components/api/fetch-json";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { downloadFile } from "@/components/ui/download-file";
import { useClientValue } from "@/components/ui/use-client-value";
import { curlCommand, fetchSnippet } from "./api-call";
import type { RunDetail } from "./run-types";

/** The page's origin once in the browser; a variable in the server's HTML. */
const useOrigin = () => useClientValue(() => window.location.origin, "$AGORA_URL");

/** What a finished run offers next: the same run again, an edited one, the API call that makes it, a link, its output. */
export function RunNextSteps({ run, output }: { run: RunDetail; output: unknown }) {
  const router = useRouter();
  const origin = useOrigin();
  const again = useMutation({
    // A fresh idempotency key per click: "Run again" means a new run, never the original one.
    mutationFn: () =>
      apiFetch<RunDetail>("/api/v1/runs", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": crypto.randomUUID() },
        body: JSON.stringify({ agent: run.agent, input: run.input }),
      }),
    onSuccess: (created) => router.push(`/runs/${created.id}`),
  });
  const snippets = [
    { label: "curl", code: curlCommand(origin, run.agent, run.input) },
    { label: "TypeScript", code: fetchSnippet(origin, run.agent, run.input) },
  ];

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <Button pending={again.isPending || again.isSuccess} onClick={() => again.mutate()}>
          {again.isPending || again.isSuccess ? "Starting…" : "Run again"}
        </Button>
        <Link href={`/agents/${run.agent}?from=${run.id}`} className={buttonClass("secondary")}>
          Edit and re-run
        </Link>
        <CopyButton text={`${origin}/runs/${run.id}`} label="Copy link" className="" />
        {output !== null && output !== undefined && (
          <Button variant="secondary" onClick={() => downloadFile(`run-${run.id}-output.json`, "application/json", JSON.stringify(output, null, 2))}>
            Download output
          </Button>
        )}
      </div>
      {again.error && <Alert tone="error">{again.error.message}</Alert>}
      <details data-testid="api-call">
        <summary className="cursor-pointer text-sm font-medium text-slate-700">Copy as API call</summary>
        <p className="mt-2 text-xs text-slate-600">
          Starts the same run with an <Link href="/keys" className="underline">API key</Link> in <code>AGORA_API_KEY</code>. Anyone in this workspace can open this run&apos;s link.
        </p>
        {snippets.map((s) => (
          <div key={s.label} className="mt-3 space-y-1">
            <div className="flex items-center justify-between gap-2">
              <h3 className="text-xs font-semibold uppercase text-slate-600">{s.label}</h3>
              <CopyButton text={s.code} label={`Copy ${s.label}`} />
            </div>
            <pre tabIndex={0} data-testid={`api-call-${s.label.toLowerCase()}`} className="max-h-64 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
              {s.code}
            </pre>
          </div>
        ))}
      </details>
    </div>
  );
}
