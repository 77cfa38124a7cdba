"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { formatUsd } from "@/components/ui/format";
import { microsToUsdInput, parseUsdToMicros } from "@/lib/money/format";
import { useSetKeyLimit, type ApiKeyRow } from "./use-api-keys";

/** A key's spend this month against its limit, with an inline editor for the limit. */
export function KeySpendLimit({ apiKey }: { apiKey: ApiKeyRow }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = useSetKeyLimit();
  const limit = apiKey.monthlySpendLimitMicros;

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget).get("limit") ?? "").trim();
    const micros = text === "" ? null : parseUsdToMicros(text);
    if (text !== "" && micros === null) return setError("An amount in dollars, or empty for no limit.");
    const ok = await save.mutateAsync({ id: apiKey.id, monthlySpendLimitMicros: micros }).then(() => true, (err: Error) => (setError(err.message), false));
    if (ok) {
      setError(null);
      setEditing(false);
    }
  }

  if (editing) {
    return (
      <form onSubmit={onSubmit} className="flex items-center gap-1" noValidate>
        <label className="sr-only" htmlFor={`limit-${apiKey.id}`}>
          Monthly spend limit for {apiKey.name}, USD
        </label>
        <input
          id={`limit-${apiKey.id}`}
          name="limit"
          inputMode="decimal"
          autoFocus
          defaultValue={limit === null ? "" : microsToUsdInput(limit)}
          placeholder="no limit"
          aria-invalid={Boolean(error)}
          className="w-24 rounded-md px-2 py-1 text-sm ring-1 ring-slate-300"
        />
        <Button type="submit" className="px-2 py-1 text-xs" pending={save.isPending}>
          Save
        </Button>
        {error && <span className="text-xs text-red-700" role="alert">{error}</span>}
      </form>
    );
  }
  return (
    <span className="inline-flex items-center gap-2">
      <span className="tabular-nums">
        {formatUsd(apiKey.spentThisMonthMicros)}
        {limit !== null && <> of {formatUsd(limit)}</>}
      </span>
      {!apiKey.revokedAt && (
        <button type="button" className="text-xs font-medium text-brand-700 underline" onClick={() => setEditing(true)} aria-label={`Set the monthly spend limit of ${apiKey.name}`}>
          {limit === null ? "Set limit" : "Change"}
        </button>
      )}
    </span>
  );
}
