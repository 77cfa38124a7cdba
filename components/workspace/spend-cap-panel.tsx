"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { QueryStates } from "@/components/ui/query-states";
import { formatUsd } from "@/components/ui/format";
import { apiFetch } from "@/components/api/fetch-json";
import { microsToUsdInput, parseUsdToMicros } from "@/lib/money/format";
import type { getWorkspaceSettings } from "@/lib/workspaces/budget-settings";

type Settings = Awaited<ReturnType<typeof getWorkspaceSettings>>;
const key = ["workspace-settings"] as const;

/** This month's spend against the workspace's monthly spend cap; owners set or remove the cap. */
export function SpendCapPanel({ isOwner }: { isOwner: boolean }) {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: key, queryFn: () => apiFetch<Settings>("/api/v1/workspace") });
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (monthlySpendCapMicros: number | null) =>
      apiFetch<Settings>("/api/v1/workspace", { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ monthlySpendCapMicros }) }),
    onSuccess: (s) => queryClient.setQueryData(key, s),
  });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget).get("cap") ?? "").trim();
    const micros = text === "" ? null : parseUsdToMicros(text);
    if (text !== "" && micros === null) return setError("Enter an amount in dollars, e.g. 25 or 12.50 — or leave it empty for no cap.");
    setError(null);
    save.mutate(micros);
  }

  return (
    <Card title="Monthly spend cap" description="Runs that could take this month's spend past the cap are refused (402 spend_cap_reached).">
      <QueryStates query={settings} noun="spend">
        {(s) => (
          <div className="space-y-3">
            <p className="text-sm" data-testid="month-spend">
              Spent this month: <strong className="tabular-nums">{formatUsd(s.thisMonth.spentMicros)}</strong>
              {s.thisMonth.heldMicros > 0 && <span className="text-slate-500"> (+{formatUsd(s.thisMonth.heldMicros)} held by running runs)</span>}
              {" · "}
              {s.monthlySpendCapMicros === null ? "no cap" : <>cap {formatUsd(s.monthlySpendCapMicros)}</>}
            </p>
            {isOwner ? (
              <form onSubmit={onSubmit} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
                <Field
                  key={s.monthlySpendCapMicros ?? "none"}
                  label="Cap in USD (empty = no cap)"
                  name="cap"
                  inputMode="decimal"
                  defaultValue={s.monthlySpendCapMicros === null ? "" : microsToUsdInput(s.monthlySpendCapMicros)}
                  error={error ?? undefined}
                  className="flex-1"
                />
                <Button type="submit" pending={save.isPending}>
                  Save cap
                </Button>
              </form>
            ) : (
              <p className="text-xs text-slate-500">Only an owner can change the cap.</p>
            )}
            {save.error && <Alert tone="error">{save.error.message}</Alert>}
            {save.isSuccess && <p className="text-sm text-green-700" role="status">Saved.</p>}
          </div>
        )}
      </QueryStates>
    </Card>
  );
}
