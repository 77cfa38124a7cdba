"use client";

import { useState, type FormEvent } from "react";
import { RequestFailure } from "@/components/api/fetch-json";
import { NewKeySecret } from "@/components/keys/new-key-secret";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { timeAgo } from "@/components/ui/format";
import { LoadMore } from "@/components/ui/load-more";
import { QueryStates } from "@/components/ui/query-states";
import { StackedTable } from "@/components/ui/stacked-table";
import type { DeliveryJson, WebhookJson } from "@/lib/webhooks/schemas";
import { parseFilter, useCreateWebhook, useDeleteWebhook, useDeliveries, useResend, useRotateSecret, useSendTest, useUpdateWebhook, useWebhooks } from "./use-webhooks";

const FILTER_HINT = "Comma-separated: exact types (run.succeeded) or groups (run.*). Empty = every event.";

/** Workspace → Webhooks: add endpoints (secret shown once), edit their filter, rotate, test, and read the delivery log. */
export function WebhooksPanel() {
  const webhooks = useWebhooks();
  const create = useCreateWebhook();
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const createError = create.error instanceof RequestFailure ? create.error : null;

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const made = await create
      .mutateAsync({ url: String(data.get("url") ?? ""), description: String(data.get("description") ?? ""), eventTypes: parseFilter(String(data.get("eventTypes") ?? "")) })
      .catch(() => null);
    if (made) {
      setSecret({ name: made.webhook.url, secret: made.secret });
      form.reset();
    }
  }

  return (
    <div className="space-y-6">
      <Card title="Add an endpoint" description="Agora POSTs this workspace's events to it, signed (Standard Webhooks). https:// only; private and loopback addresses are refused.">
        {secret && <NewKeySecret name={secret.name} secret={secret.secret} noun="signing secret" testId="new-webhook-secret" onDismiss={() => setSecret(null)} />}
        <form method="post" onSubmit={onCreate} className="grid gap-3 sm:grid-cols-2" noValidate>
          <Field label="Endpoint URL" name="url" type="url" inputMode="url" placeholder="https://example.com/agora-webhooks" required maxLength={2000} className="sm:col-span-2" error={createError?.fieldErrors.url ?? (createError && !createError.fieldErrors.eventTypes ? createError.message : undefined)} />
          <Field label="Description (optional)" name="description" maxLength={500} placeholder="e.g. Billing sync" />
          <Field label="Event types (optional)" name="eventTypes" placeholder="run.*, balance.low" hint={FILTER_HINT} error={createError?.fieldErrors.eventTypes ? createError.message : undefined} />
          <div className="sm:col-span-2">
            <Button type="submit" pending={create.isPending}>
              Add endpoint
            </Button>
          </div>
        </form>
      </Card>

      <QueryStates
        query={webhooks}
        noun="webhook endpoints"
        isEmpty={webhooks.data?.length === 0}
        empty={
          <Card>
            <EmptyState title="No webhook endpoints yet">Add one above to receive runs, balance changes and other events as they happen.</EmptyState>
          </Card>
        }
      >
        {(list) => (
          <ul className="space-y-6">
            {list.map((w) => (
              <li key={w.id}>
                <EndpointCard webhook={w} onSecret={(s) => setSecret({ name: w.url, secret: s })} />
              </li>
            ))}
          </ul>
        )}
      </QueryStates>
    </div>
  );
}

function EndpointCard({ webhook: w, onSecret }: { webhook: WebhookJson; onSecret: (secret: string) => void }) {
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const rotate = useRotateSecret();
  const test = useSendTest();
  const [filter, setFilter] = useState(w.eventTypes.join(", "));
  const failure = [update, remove, rotate, test].map((m) => m.error).find(Boolean);

  return (
    <Card
      title={<span className="break-all font-mono text-sm" data-testid="webhook-url">{w.url}</span>}
      description={w.description || undefined}
      actions={w.enabled ? <Badge tone={w.failingSince ? "warning" : "success"}>{w.failingSince ? `Failing since ${timeAgo(w.failingSince)}` : "Enabled"}</Badge> : <Badge tone="danger">Disabled</Badge>}
    >
      <div className="space-y-4">
        {!w.enabled && (
          <Alert tone="error" className="flex flex-wrap items-center justify-between gap-2">
            <span>This endpoint is disabled. {w.disabledReason}</span>
            <Button variant="secondary" className="px-2.5 py-1 text-xs" pending={update.isPending} onClick={() => update.mutate({ id: w.id, enabled: true })}>
              Enable again
            </Button>
          </Alert>
        )}
        <form
          className="flex flex-col gap-2 sm:flex-row sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            update.mutate({ id: w.id, eventTypes: parseFilter(filter) });
          }}
        >
          <Field label="Event types" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="every event" hint={FILTER_HINT} className="flex-1" />
          <Button type="submit" variant="secondary" pending={update.isPending && update.variables?.eventTypes !== undefined}>
            Save filter
          </Button>
        </form>
        <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <span>
            Secret …<span className="font-mono">{w.secretLast4}</span>
            {w.previousSecretExpiresAt && ` (the previous one also signs until ${new Date(w.previousSecretExpiresAt).toLocaleString()})`}
          </span>
          <span className="flex flex-wrap gap-2 sm:ml-auto">
            <Button variant="secondary" className="px-2.5 py-1 text-xs" disabled={!w.enabled} pending={test.isPending} onClick={() => test.mutate(w.id)}>
              Send test event
            </Button>
            <Button
              variant="secondary"
              className="px-2.5 py-1 text-xs"
              pending={rotate.isPending}
              onClick={() => {
                if (window.confirm("Make a new signing secret? The current one keeps signing for 24 hours.")) rotate.mutateAsync(w.id).then((r) => onSecret(r.secret), () => undefined);
              }}
            >
              Rotate secret
            </Button>
            {w.enabled && (
              <Button variant="ghost" className="px-2.5 py-1 text-xs" pending={update.isPending && update.variables?.enabled === false} onClick={() => update.mutate({ id: w.id, enabled: false })}>
                Disable
              </Button>
            )}
            <Button
              variant="danger"
              className="px-2.5 py-1 text-xs"
              pending={remove.isPending}
              aria-label={`Delete ${w.url}`}
              onClick={() => {
                if (window.confirm(`Delete the endpoint ${w.url} and its delivery log?`)) remove.mutate(w.id);
              }}
            >
              Delete
            </Button>
          </span>
        </div>
        {failure && <Alert tone="error">{failure.message}</Alert>}
        <DeliveryLog webhookId={w.id} enabled={w.enabled} />
      </div>
    </Card>
  );
}

const stateTone = { SUCCEEDED: "success", PENDING: "warning", FAILED: "danger" } as const;

function DeliveryLog({ webhookId, enabled }: { webhookId: string; enabled: boolean }) {
  const { query, items } = useDeliveries(webhookId);
  const resend = useResend();
  return (
    <section aria-label="Delivery log" className="space-y-2">
      <h3 className="text-sm font-semibold text-slate-900">Deliveries</h3>
      <QueryStates query={query} noun="deliveries" isEmpty={items.length === 0} empty={<p className="text-sm text-slate-500">Nothing sent yet. Send a test event to try the endpoint.</p>}>
        {() => (
          <StackedTable
            testId="webhook-deliveries"
            columns={["Event", "State", "Status", "Response", "Attempts", "Next attempt", "Actions"]}
            rows={items.map((d: DeliveryJson) => ({
              key: d.id,
              cells: [
                <span key="e" className="font-mono text-xs" title={`seq ${d.eventSeq} · ${d.messageId}`}>
                  {d.eventType} <span className="text-slate-400">#{d.eventSeq}</span>
                </span>,
                <Badge key="s" tone={stateTone[d.state]}>{d.state.toLowerCase()}</Badge>,
                <span key="c" title={d.lastError ?? undefined}>{d.lastStatusCode ?? (d.lastError ? "—" : "")}{d.lastError && d.lastStatusCode === null ? ` ${d.lastError}` : ""}</span>,
                d.lastResponseMs === null ? "—" : `${d.lastResponseMs} ms`,
                String(d.attempts),
                d.nextAttemptAt && d.state === "PENDING" ? new Date(d.nextAttemptAt).toLocaleString() : "—",
                <Button
                  key="r"
                  variant="ghost"
                  className="px-2 py-0.5 text-xs"
                  disabled={!enabled}
                  pending={resend.isPending && resend.variables?.deliveryId === d.id}
                  aria-label={`Resend ${d.eventType} #${d.eventSeq}`}
                  onClick={() => resend.mutate({ id: webhookId, deliveryId: d.id })}
                >
                  Resend
                </Button>,
              ],
            }))}
          />
        )}
      </QueryStates>
      <LoadMore query={query} />
      {resend.isError && <Alert tone="error">{resend.error.message}</Alert>}
    </section>
  );
}
