"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { RequestFailure } from "@/components/api/fetch-json";
import { balanceQueryKey, useBalance } from "@/components/layout/balance-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, SelectField, TextAreaField } from "@/components/ui/field";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Usd } from "@/components/ui/usd";
import { useClientValue, useHydrated } from "@/components/ui/use-client-value";
import { parseUsdToMicros } from "@/lib/money/format";
import { parseJson } from "./describe";
import { ChecksBuilder, checkOf, type CheckRow } from "./checks-builder";
import type { WorkJson } from "./types";
import { sendJson } from "./use-exchange";

const EXAMPLE_SCHEMA = JSON.stringify({ type: "object", properties: { summary: { type: "string" } }, required: ["summary"] }, null, 2);

/** "2026-12-01T14:30" (a datetime-local value, local time) `hours` from now; fixed once per page load. */
const localIn = (hours: number) => {
  const d = new Date(Date.now() + hours * 3_600_000);
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
let defaultDeadlines: { bid: string; delivery: string } | undefined;
const deadlinesNow = () => (defaultDeadlines ??= { bid: localIn(1), delivery: localIn(25) });
const NO_DEADLINES = { bid: "", delivery: "" };

/** /exchange/new: everything a work spec holds; the budget is held in escrow when it is posted. */
export function WorkForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const balance = useBalance();
  const defaults = useClientValue(deadlinesNow, NO_DEADLINES);
  const hydrated = useHydrated();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [f, setF] = useState({ title: "", description: "", input: "{}", outputSchema: EXAMPLE_SCHEMA, budget: "5", capabilities: "", visibility: "PUBLIC", invited: "", autoAward: false });
  const [bidDeadline, setBidDeadline] = useState<string | null>(null);
  const [deliveryDeadline, setDeliveryDeadline] = useState<string | null>(null);
  const [checks, setChecks] = useState<CheckRow[]>([]);
  const set = (key: keyof typeof f) => (e: { target: { value: string } }) => setF((prev) => ({ ...prev, [key]: e.target.value }));

  const input = parseJson(f.input);
  const outputSchema = parseJson(f.outputSchema);
  const budgetMicros = parseUsdToMicros(f.budget);
  const bidAt = bidDeadline ?? defaults.bid;
  const deliveryAt = deliveryDeadline ?? defaults.delivery;

  const post = useMutation({
    mutationFn: () =>
      sendJson<WorkJson>(
        "/api/v1/work",
        {
          title: f.title,
          description: f.description,
          input: input.value,
          acceptance: { outputSchema: outputSchema.value, checks: checks.map(checkOf) },
          budgetMicros,
          capabilities: f.capabilities.split(",").map((c) => c.trim()).filter(Boolean),
          visibility: f.visibility,
          ...(f.visibility === "INVITED" ? { invitedProviders: f.invited.split(",").map((s) => s.trim()).filter(Boolean) } : {}),
          autoAward: f.autoAward,
          bidDeadline: new Date(bidAt).toISOString(),
          deliveryDeadline: new Date(deliveryAt).toISOString(),
        },
        { "idempotency-key": idempotencyKey },
      ),
    onSuccess: (work) => {
      void queryClient.invalidateQueries({ queryKey: balanceQueryKey });
      router.push(`/exchange/${work.id}`);
    },
  });
  const failure = post.error instanceof RequestFailure ? post.error : null;
  /** The server's message for the first of `paths` it named, if any. */
  const errorAt = (...paths: string[]) => paths.map((p) => failure?.fieldErrors[p]).find(Boolean);
  const canPost = !input.error && !outputSchema.error && budgetMicros !== null && budgetMicros > 0 && bidAt !== "" && deliveryAt !== "";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (canPost) post.mutate();
  };

  return (
    <form className="space-y-6" onSubmit={submit} noValidate>
      <Card title="The work">
        <div className="space-y-4">
          <Field label="Title" required maxLength={200} value={f.title} onChange={set("title")} error={errorAt("title")} />
          <TextAreaField label="Description (markdown)" rows={6} value={f.description} onChange={set("description")} error={errorAt("description")} hint="What you need done; shown to providers, rendered as markdown." />
          <TextAreaField label="Input (JSON)" rows={5} value={f.input} onChange={set("input")} error={input.error ?? errorAt("input")} hint="The input the provider's agent runs on." />
          <Field label="Capabilities (comma-separated)" value={f.capabilities} onChange={set("capabilities")} placeholder="summarize, csv" error={errorAt("capabilities")} hint="Providers bid on work that needs what their agents do." />
        </div>
      </Card>

      <Card title="Acceptance criteria" description="Checked by the platform on every delivery, before you accept it.">
        <div className="space-y-4">
          <TextAreaField label="Output schema (JSON Schema)" rows={8} value={f.outputSchema} onChange={set("outputSchema")} error={outputSchema.error ?? errorAt("acceptance.outputSchema", "acceptance")} />
          <ChecksBuilder rows={checks} onChange={setChecks} errorAt={(i, ...fields) => errorAt(...fields.map((k) => `acceptance.checks.${i}.${k}`), `acceptance.checks.${i}`)} />
        </div>
      </Card>

      <Card title="Budget and deadlines">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Budget (USD)" inputMode="decimal" value={f.budget} onChange={set("budget")} error={budgetMicros === null || budgetMicros <= 0 ? "Enter an amount above $0, such as 5 or 12.50." : errorAt("budgetMicros")} hint="The most you will pay; bids above it are refused." />
          <SelectField label="Visibility" value={f.visibility} onChange={set("visibility")} error={errorAt("visibility")}>
            <option value="PUBLIC">Public: every provider can bid</option>
            <option value="INVITED">Invited providers only</option>
          </SelectField>
          {f.visibility === "INVITED" && (
            <Field label="Invited providers (slugs, comma-separated)" className="sm:col-span-2" value={f.invited} onChange={set("invited")} error={errorAt("invitedProviders")} />
          )}
          <Field label="Bids close" type="datetime-local" value={bidAt} onChange={(e) => setBidDeadline(e.target.value)} error={errorAt("bidDeadline")} />
          <Field label="Delivery due" type="datetime-local" value={deliveryAt} onChange={(e) => setDeliveryDeadline(e.target.value)} error={errorAt("deliveryDeadline")} />
          <label className="flex items-center gap-2 text-sm text-slate-800 sm:col-span-2">
            <input type="checkbox" className="size-4" checked={f.autoAward} onChange={(e) => setF((prev) => ({ ...prev, autoAward: e.target.checked }))} />
            Award the best-scored bid automatically when bids close
          </label>
        </div>
      </Card>

      <section className="space-y-3 rounded-md bg-slate-50 p-3 ring-1 ring-slate-200" aria-live="polite" data-testid="escrow-summary">
        <KeyValueList
          rows={[
            ["Held in escrow when posted", budgetMicros && budgetMicros > 0 ? <Usd key="hold" micros={budgetMicros} /> : "—"],
            // Shown once hydrated: the header's badge may have seeded the balance on the server and not yet here.
            ["Your available credits", balance.data === undefined || !hydrated ? "…" : <Usd key="balance" micros={balance.data} />],
          ]}
        />
        <p className="text-xs text-slate-500">At the award the hold shrinks to the winning bid&apos;s price; you are charged only when you accept the delivery.</p>
      </section>

      {post.isError && (
        <Alert tone="error">
          {post.error.message}{" "}
          {failure?.code === "insufficient_credits" && (
            <Link href="/billing" className="font-medium underline">
              Add credits
            </Link>
          )}
        </Alert>
      )}
      <Button type="submit" pending={post.isPending} disabled={!canPost}>
        Post work and hold <Usd micros={budgetMicros ?? 0} />
      </Button>
    </form>
  );
}
