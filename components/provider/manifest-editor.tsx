"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, SelectField, TextAreaField } from "@/components/ui/field";
import { RequestFailure } from "@/components/api/fetch-json";
import { microsToUsdInput, parseUsdToMicros } from "@/lib/money/format";
import { EXAMPLE_MANIFEST } from "@/lib/packages/example-manifest";
import type { Manifest } from "@/lib/packages/manifest";
import type { PackageVersion } from "@/lib/packages/package-versions";
import { useSaveManifest } from "./use-provider-packages";

// The manifest as a form: the common fields as inputs, the JSON parts (schemas,
// example, the hosted or remote section) as JSON text. The server's issues name
// JSON paths (`inputSchema.properties.x.pattern`); each is shown under the
// field its path starts in, with the rest of the path.

type Draft = Record<(typeof TEXT_FIELDS)[number] | (typeof JSON_FIELDS)[number] | "kind" | "baseFee" | "capabilities", string>;
const TEXT_FIELDS = ["slug", "version", "name", "summary", "category", "description"] as const;
const JSON_FIELDS = ["inputSchema", "outputSchema", "exampleInput", "section"] as const;
const EMPTY_SECTION = { hosted: { instructions: "", model: "", maxOutputTokens: 1024, maxTurns: 3, tools: [] }, remote: { endpointUrl: "https://", billableEvents: [] } };

const pretty = (v: unknown) => JSON.stringify(v ?? {}, null, 2);
function draftOf(m: Partial<Manifest> & { kind: "hosted" | "remote" }): Draft {
  return {
    kind: m.kind,
    slug: m.slug ?? "",
    version: m.version ?? "1.0.0",
    name: m.name ?? "",
    summary: m.summary ?? "",
    category: m.category ?? "",
    description: m.description ?? "",
    capabilities: (m.capabilities ?? []).join(", "),
    baseFee: microsToUsdInput(m.baseFeeMicros ?? 0),
    inputSchema: pretty(m.inputSchema ?? { type: "object", properties: {} }),
    outputSchema: pretty(m.outputSchema ?? { type: "object", properties: {} }),
    exampleInput: pretty(m.exampleInput ?? {}),
    section: pretty(m[m.kind] ?? EMPTY_SECTION[m.kind]),
  };
}

/** The form as a manifest, or the fields whose text is not JSON / not an amount. */
function manifestOf(d: Draft): { manifest: Record<string, unknown> } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const parsed: Record<string, unknown> = {};
  for (const f of JSON_FIELDS) {
    try {
      parsed[f] = JSON.parse(d[f]);
    } catch (err) {
      errors[f] = `Not valid JSON: ${(err as Error).message}`;
    }
  }
  const baseFeeMicros = parseUsdToMicros(d.baseFee);
  if (baseFeeMicros === null) errors.baseFee = "Enter an amount in dollars, such as 0.02.";
  if (Object.keys(errors).length) return { errors };
  const { section, ...json } = parsed;
  const capabilities = d.capabilities.split(",").map((c) => c.trim()).filter(Boolean);
  return { manifest: { kind: d.kind, ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, d[f].trim()])), capabilities, baseFeeMicros, ...json, [d.kind]: section } };
}

/** Which form field a manifest path belongs to. */
function fieldOf(path: string): string {
  const [head = ""] = path.split(".");
  if (head === "hosted" || head === "remote") return "section";
  if (head === "baseFeeMicros") return "baseFee";
  return head;
}

function fieldErrors(err: RequestFailure): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(err.fieldErrors)) {
    const field = fieldOf(path);
    const where = path.includes(".") ? `${path}: ` : "";
    out[field] = out[field] ? `${out[field]} ${where}${message}` : `${where}${message}`;
  }
  return out;
}

export function ManifestEditor({ version, categories, models, onSaved }: { version?: PackageVersion; categories: string[]; models: string[]; onSaved: (v: PackageVersion) => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(version?.manifest ?? { kind: "hosted" }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const save = useSaveManifest(version);
  const form = useRef<HTMLFormElement>(null);
  const editable = !version || ["DRAFT", "VALIDATED", "REJECTED"].includes(version.status);

  useEffect(() => {
    if (Object.keys(errors).length) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const set = (field: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [field]: e.target.value }));
  const setKind = (kind: "hosted" | "remote") => setDraft((d) => ({ ...d, kind, section: pretty(EMPTY_SECTION[kind]) }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const built = manifestOf(draft);
    if ("errors" in built) {
      setMessage("Fix the highlighted fields.");
      return setErrors(built.errors);
    }
    try {
      const saved = await save.mutateAsync(built.manifest);
      setErrors({});
      setMessage(null);
      onSaved(saved);
    } catch (err) {
      if (!(err instanceof RequestFailure)) return setMessage("Something went wrong; try again.");
      setErrors(fieldErrors(err));
      setMessage(err.message);
    }
  }

  const common = (field: keyof Draft) => ({ name: field, value: draft[field], onChange: set(field), error: errors[field] });
  return (
    <form ref={form} onSubmit={onSubmit} noValidate aria-label="Manifest" className="grid gap-4 sm:grid-cols-2">
      <fieldset disabled={!editable} className="contents">
        <SelectField label="Kind" name="kind" value={draft.kind} onChange={(e) => setKind(e.target.value as "hosted" | "remote")} disabled={Boolean(version)} hint="Hosted: Agora runs it with your instructions and platform tools. Remote: your own A2A agent.">
          <option value="hosted">Hosted</option>
          <option value="remote">Remote (A2A)</option>
        </SelectField>
        <Field label="Base fee per run (USD)" inputMode="decimal" {...common("baseFee")} hint="Charged for each successful run; failed runs are free." />
        <Field label="Slug" {...common("slug")} readOnly={Boolean(version)} autoCapitalize="none" spellCheck={false} hint="Lowercase letters, digits and hyphens: the package's address." />
        <Field label="Version" {...common("version")} readOnly={Boolean(version)} spellCheck={false} hint="Semver, higher than the package's other versions (1.0.0, 1.1.0…)." />
        <Field label="Name" {...common("name")} maxLength={80} />
        <Field label="Category" {...common("category")} list="package-categories" hint="An existing category, or a new one (lowercase)." />
        <datalist id="package-categories">
          {categories.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <Field label="Summary" {...common("summary")} maxLength={200} className="sm:col-span-2" />
        <Field label="Capabilities" {...common("capabilities")} hint="Comma-separated, e.g. csv, profiling." className="sm:col-span-2" />
        <TextAreaField label="Description (markdown)" {...common("description")} rows={4} className="sm:col-span-2" />
        <TextAreaField label="Input schema (JSON Schema)" {...common("inputSchema")} rows={8} spellCheck={false} />
        <TextAreaField label="Output schema (JSON Schema)" {...common("outputSchema")} rows={8} spellCheck={false} />
        <TextAreaField label="Example input (JSON)" {...common("exampleInput")} rows={4} spellCheck={false} hint="Must validate against the input schema." className="sm:col-span-2" />
        <TextAreaField
          label={draft.kind === "hosted" ? "Hosted section (JSON)" : "Remote section (JSON)"}
          {...common("section")}
          rows={12}
          spellCheck={false}
          hint={draft.kind === "hosted" ? `instructions, model (${models.join(", ")}), maxOutputTokens, maxTurns, tools, offline plan.` : "endpointUrl, skillId, timeoutSeconds, billableEvents."}
          className="sm:col-span-2"
        />
      </fieldset>
      {editable ? (
        <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
          <Button type="submit" pending={save.isPending}>
            {version ? "Save draft" : "Create draft"}
          </Button>
          {!version && (
            <Button type="button" variant="secondary" onClick={() => setDraft(draftOf(EXAMPLE_MANIFEST as Manifest))}>
              Load example
            </Button>
          )}
        </div>
      ) : (
        <p className="text-sm text-slate-500 sm:col-span-2">This version can no longer change: create a new version to publish changes.</p>
      )}
      {message && (
        <Alert tone="error" className="sm:col-span-2">
          {message}
        </Alert>
      )}
    </form>
  );
}
