"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { apiFetch } from "@/components/api/fetch-json";
import { Alert } from "@/components/ui/alert";
import { Button, buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { downloadFile } from "@/components/ui/download-file";
import { useOrigin } from "@/components/ui/use-client-value";
import { ApiCallSnippets } from "./api-call-snippets";
import type { RunDetail } from "./run-types";

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
        <ApiCallSnippets agent={run.agent} input={run.input} />
      </details>
    </div>
  );
}
