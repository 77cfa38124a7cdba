"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, SelectField } from "@/components/ui/field";
import { QueryStates } from "@/components/ui/query-states";
import { apiFetch, RequestFailure } from "@/components/api/fetch-json";
import { routingFields, routingOps, urgencies, type Condition, type Rule } from "@/lib/routing/evaluate-rules";

const path = "/api/v1/routing-rules";
const key = [path] as const;

type Draft = { name: string; team: string; urgency: Rule["urgency"]; conditions: { field: Condition["field"]; op: Condition["op"]; value: string }[] };
const blank = (): Draft => ({ name: "", team: "", urgency: "NORMAL", conditions: [{ field: "text", op: "contains", value: "" }] });

/** "down, outage" → ["down", "outage"]; one value stays a string (`in` always takes a list). */
function parseValue(op: Condition["op"], raw: string): Condition["value"] {
  const parts = raw.split(",").map((p) => p.trim()).filter(Boolean);
  return op === "in" || parts.length > 1 ? parts : (parts[0] ?? "");
}

const showValue = (v: Condition["value"]) => (Array.isArray(v) ? v.join(", ") : v);
const urgencyTone = { LOW: "neutral", NORMAL: "brand", HIGH: "warning", CRITICAL: "danger" } as const;

function useRules() {
  const queryClient = useQueryClient();
  const rules = useQuery({ queryKey: key, queryFn: async () => (await apiFetch<{ data: Rule[] }>(path)).data });
  const write = useMutation({
    mutationFn: ({ id, method, body }: { id?: string; method: "POST" | "PATCH" | "DELETE"; body?: unknown }) =>
      apiFetch<Rule | null>(id ? `${path}/${id}` : path, { method, headers: body ? { "content-type": "application/json" } : undefined, body: body ? JSON.stringify(body) : undefined }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  return { rules, write };
}

export function RoutingRulesPanel() {
  const { rules, write } = useRules();
  const [draft, setDraft] = useState<Draft>(blank);
  const [editing, setEditing] = useState<string | null>(null);
  const failure = write.error instanceof RequestFailure ? write.error : null;

  const setCondition = (i: number, patch: Partial<Draft["conditions"][number]>) =>
    setDraft((d) => ({ ...d, conditions: d.conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const body = { name: draft.name, team: draft.team, urgency: draft.urgency, conditions: draft.conditions.map((c) => ({ field: c.field, op: c.op, value: parseValue(c.op, c.value) })) };
    const ok = await write.mutateAsync(editing ? { id: editing, method: "PATCH", body } : { method: "POST", body }).then(() => true, () => false);
    if (ok) {
      setDraft(blank());
      setEditing(null);
    }
  }

  function edit(rule: Rule) {
    write.reset();
    setEditing(rule.id);
    setDraft({ name: rule.name, team: rule.team, urgency: rule.urgency, conditions: rule.conditions.map((c) => ({ ...c, value: showValue(c.value) })) });
  }

  return (
    <div className="grid gap-6 lg:grid-cols-5">
      <Card title="Rules, in evaluation order" className="lg:col-span-3">
        <QueryStates
          query={rules}
          noun="rules"
          isEmpty={rules.data?.length === 0}
          empty={<EmptyState title="No routing rules yet">Every ticket goes to the default support queue at normal urgency until you add one.</EmptyState>}
        >
          {(list) => (
          <ol className="divide-y divide-slate-100">
            {list.map((r, i) => (
              <li key={r.id} data-testid="routing-rule" className="flex flex-col gap-2 py-3 sm:flex-row sm:items-start sm:justify-between">
                <div className={r.enabled ? "" : "opacity-60"}>
                  <p className="font-medium text-slate-900">
                    {r.position}. {r.name} {!r.enabled && <Badge>disabled</Badge>}
                  </p>
                  <p className="mt-0.5 text-xs text-slate-600">
                    {r.conditions.length ? r.conditions.map((c) => `${c.field} ${c.op.replace("_", " ")} ${showValue(c.value)}`).join(" and ") : "always"}
                  </p>
                  <p className="mt-1 text-xs">
                    → <span className="font-medium">{r.team}</span> <Badge tone={urgencyTone[r.urgency]}>{r.urgency.toLowerCase()}</Badge>
                  </p>
                </div>
                <div className="flex flex-wrap gap-1">
                  <Button variant="ghost" aria-label={`Move ${r.name} up`} disabled={i === 0 || write.isPending} onClick={() => write.mutate({ id: r.id, method: "PATCH", body: { position: r.position - 1 } })}>
                    ↑
                  </Button>
                  <Button variant="ghost" aria-label={`Move ${r.name} down`} disabled={i === list.length - 1 || write.isPending} onClick={() => write.mutate({ id: r.id, method: "PATCH", body: { position: r.position + 1 } })}>
                    ↓
                  </Button>
                  <Button variant="secondary" onClick={() => write.mutate({ id: r.id, method: "PATCH", body: { enabled: !r.enabled } })}>
                    {r.enabled ? "Disable" : "Enable"}
                  </Button>
                  <Button variant="secondary" onClick={() => edit(r)}>
                    Edit
                  </Button>
                  <Button variant="danger" onClick={() => window.confirm(`Delete the rule "${r.name}"?`) && write.mutate({ id: r.id, method: "DELETE" })}>
                    Delete
                  </Button>
                </div>
              </li>
            ))}
          </ol>
          )}
        </QueryStates>
      </Card>

      <Card title={editing ? "Edit rule" : "Add a rule"} description="All conditions must hold. Text comparisons ignore case; separate several values with commas." className="lg:col-span-2">
        <form onSubmit={onSubmit} className="space-y-3" noValidate>
          <Field label="Name" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} error={failure?.fieldErrors.name} maxLength={100} />
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">Conditions</legend>
            {draft.conditions.map((c, i) => (
              <div key={i} className="grid grid-cols-2 gap-2 rounded-md p-2 ring-1 ring-slate-200 sm:grid-cols-[1fr_1fr_2fr_auto] sm:items-end">
                <SelectField label="Field" value={c.field} onChange={(e) => setCondition(i, { field: e.target.value as Condition["field"] })}>
                  {routingFields.map((f) => (
                    <option key={f}>{f}</option>
                  ))}
                </SelectField>
                <SelectField label="Test" value={c.op} onChange={(e) => setCondition(i, { op: e.target.value as Condition["op"] })}>
                  {routingOps.map((o) => (
                    <option key={o} value={o}>
                      {o.replace("_", " ")}
                    </option>
                  ))}
                </SelectField>
                <Field label="Value(s)" value={c.value} onChange={(e) => setCondition(i, { value: e.target.value })} error={failure?.fieldErrors[`conditions.${i}.value`]} className="col-span-2 sm:col-span-1" />
                <Button variant="ghost" aria-label={`Remove condition ${i + 1}`} onClick={() => setDraft({ ...draft, conditions: draft.conditions.filter((_, j) => j !== i) })}>
                  ✕
                </Button>
              </div>
            ))}
            <Button variant="secondary" onClick={() => setDraft({ ...draft, conditions: [...draft.conditions, { field: "text", op: "contains", value: "" }] })}>
              Add condition
            </Button>
          </fieldset>
          <div className="grid grid-cols-2 gap-2">
            <Field label="Team" value={draft.team} onChange={(e) => setDraft({ ...draft, team: e.target.value })} error={failure?.fieldErrors.team} maxLength={100} />
            <SelectField label="Urgency" value={draft.urgency} onChange={(e) => setDraft({ ...draft, urgency: e.target.value as Rule["urgency"] })}>
              {urgencies.map((u) => (
                <option key={u} value={u}>
                  {u.toLowerCase()}
                </option>
              ))}
            </SelectField>
          </div>
          {failure && <Alert tone="error">{failure.message}</Alert>}
          <div className="flex gap-2">
            <Button type="submit" pending={write.isPending}>
              {editing ? "Save rule" : "Add rule"}
            </Button>
            {editing && (
              <Button variant="ghost" onClick={() => { setEditing(null); setDraft(blank()); write.reset(); }}>
                Cancel
              </Button>
            )}
          </div>
        </form>
      </Card>
    </div>
  );
}
