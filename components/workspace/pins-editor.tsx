"use client";

import { useState, type FormEvent } from "react";
import { packageVersionsAction } from "@/app/(console)/workspace/actions";
import { RequestFailure, unwrapAction } from "@/components/api/fetch-json";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field, SelectField } from "@/components/ui/field";
import { rangeChoices, type VersionChoice } from "@/lib/packages/pin-schemas";

export type Pins = Record<string, string>;
/** What a pin resolves to now (GET /api/v1/workspace/pins `resolved`); absent for a key's pins. */
export type ResolvedPin = { slug: string; range: string; version: string | null; status: string | null };

/**
 * A set of version pins (slug → range): the list, each with what it resolves to when known and a
 * Remove button, and a form adding one — the slug, then a choice among its versions. `onSave`
 * replaces the whole set (PUT /api/v1/workspace/pins, PATCH /api/v1/keys/:id).
 */
export function PinsEditor({ pins, resolved, canEdit, onSave, saving, error, label }: { pins: Pins; resolved?: ResolvedPin[]; canEdit: boolean; onSave: (pins: Pins) => Promise<unknown>; saving: boolean; error: Error | null; label: string }) {
  const [slug, setSlug] = useState("");
  const [versions, setVersions] = useState<{ slug: string; list: VersionChoice[] } | null>(null);
  const [finding, setFinding] = useState(false);
  const [slugError, setSlugError] = useState<string | null>(null);
  const entries = Object.entries(pins).sort(([a], [b]) => a.localeCompare(b));
  const resolution = new Map(resolved?.map((r) => [r.slug, r]));

  async function findVersions(s: string) {
    setFinding(true);
    setSlugError(null);
    try {
      const list = await unwrapAction(packageVersionsAction({ slug: s }));
      if (!list.length) setSlugError(`There is no published package '${s}'.`);
      setVersions(list.length ? { slug: s, list } : null);
    } catch (err) {
      setSlugError(err instanceof RequestFailure ? (err.fieldErrors.slug ?? err.message) : "Could not load the package's versions; try again.");
    } finally {
      setFinding(false);
    }
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const s = slug.trim();
    if (!s) return setSlugError("Enter the package's slug, e.g. csv-summary.");
    // Enter in the slug field (or a changed slug) looks its versions up first.
    if (versions?.slug !== s) return findVersions(s);
    const range = String(data.get("range") ?? "");
    const saved = await onSave({ ...pins, [s]: range }).then(() => true, () => false);
    if (saved) {
      setSlug("");
      setVersions(null);
    }
  }

  return (
    <div className="space-y-4">
      {entries.length === 0 ? (
        <EmptyState title="No pins">Runs use each package&apos;s newest published version.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200" aria-label={label}>
          {entries.map(([s, range]) => {
            const r = resolution.get(s);
            return (
              <li key={s} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm" data-testid="pin-row">
                <span>
                  <span className="font-mono font-medium text-slate-900">
                    {s}@{range}
                  </span>
                  {r && (
                    <span className="ml-2 text-slate-600">
                      {r.version ? <>runs {r.version}</> : <>matches no runnable version</>} {r.status === "YANKED" && <Badge tone="warning">yanked</Badge>}
                    </span>
                  )}
                </span>
                {canEdit && (
                  <Button type="button" variant="ghost" className="px-2 py-1 text-xs" aria-label={`Remove the pin of ${s}`} pending={saving} onClick={() => onSave(Object.fromEntries(entries.filter(([k]) => k !== s))).catch(() => undefined)}>
                    Remove
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {canEdit && (
        <form onSubmit={onSubmit} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
          <Field
            label="Package slug"
            name="slug"
            value={slug}
            onChange={(e) => setSlug(e.target.value)}
            placeholder="e.g. csv-summary"
            hint="Then choose one of its versions."
            autoComplete="off"
            className="flex-1"
            error={slugError ?? undefined}
          />
          {versions?.slug === slug.trim() ? (
            <>
              <SelectField label="Version" name="range" className="sm:w-72">
                {rangeChoices(versions.list).map((c) => (
                  <option key={c.range} value={c.range}>
                    {c.label}
                  </option>
                ))}
              </SelectField>
              <Button type="submit" pending={saving}>
                Add pin
              </Button>
            </>
          ) : (
            <Button type="submit" variant="secondary" pending={finding}>
              Show versions
            </Button>
          )}
        </form>
      )}
      {error && <Alert tone="error">{error.message}</Alert>}
    </div>
  );
}
