"use client";

import { PinsEditor } from "@/components/workspace/pins-editor";
import { useSetKeyPins, type ApiKeyRow } from "./use-api-keys";

/** A key's version pins: listed, and editable (for a key that still works) behind a disclosure. */
export function KeyPins({ apiKey }: { apiKey: ApiKeyRow }) {
  const save = useSetKeyPins();
  const pins = Object.entries(apiKey.pins);
  const summary = pins.length ? pins.map(([slug, range]) => `${slug}@${range}`).join(", ") : "none (the workspace's)";
  if (apiKey.revokedAt) return <span className="text-slate-500">{summary}</span>;
  return (
    <details className="group max-w-md">
      <summary className="cursor-pointer rounded text-slate-700 focus-visible:outline-2 focus-visible:outline-brand-500">
        <span className="font-mono text-xs">{summary}</span> <span className="text-xs text-brand-700 underline">Edit pins</span>
      </summary>
      <div className="mt-2">
        <PinsEditor label={`Pins of ${apiKey.name}`} pins={apiKey.pins} canEdit onSave={(next) => save.mutateAsync({ id: apiKey.id, pins: next })} saving={save.isPending} error={save.error} />
      </div>
    </details>
  );
}
