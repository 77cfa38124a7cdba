"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, type FormEvent } from "react";
import type { RunDetail } from "@/lib/runs/run-queries";
import { apiFetch, RequestFailure } from "@/components/api/fetch-json";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { emptyValue, schemaCheck, type JsonSchema } from "./json-schema";
import { RunQuote } from "./run-quote";
import { SchemaField, type FieldErrors } from "./schema-form";
import { VersionSelect } from "./version-select";
import type { RunFormVersions } from "@/lib/packages/pin-schemas";

/**
 * Runs an agent from the browser: the generated form, "Use example", and a
 * submit that carries an idempotency key, so a double click or a retried
 * request never starts two runs. Field errors from the API land on their fields.
 * The price is quoted only for an input the schema accepts.
 */
/**
 * `initial`: the input to start from ("Edit and re-run" of a past run, or the example); else the schema's empty value.
 * `versions`: the version choice (issue 20): the default runs `agent` (the caller's pin or the latest), another sends `agent@version`.
 */
export function RunForm({ agent: slug, schema, example, initial, versions }: { agent: string; schema: JsonSchema; example: unknown; initial?: unknown; versions?: RunFormVersions }) {
  const [version, setVersion] = useState("");
  const agent = version ? `${slug}@${version}` : slug;
  const router = useRouter();
  const [value, setValue] = useState<unknown>(() => (initial === undefined ? emptyValue(schema) : structuredClone(initial)));
  const [formKey, setFormKey] = useState(0);
  const idempotencyKey = useRef<string | null>(null);
  const valid = useMemo(() => schemaCheck(schema), [schema]);

  const run = useMutation({
    mutationFn: (input: unknown) => {
      idempotencyKey.current ??= crypto.randomUUID();
      return apiFetch<RunDetail>("/api/v1/runs", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": idempotencyKey.current },
        body: JSON.stringify({ agent, input }),
      });
    },
    onSuccess: (created) => router.push(`/runs/${created.id}`),
  });

  const change = (next: unknown) => {
    idempotencyKey.current = null; // a different input is a different run
    setValue(next);
  };
  const useExample = () => {
    change(structuredClone(example));
    setFormKey((k) => k + 1);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate(value);
  };

  const failure = run.error instanceof RequestFailure ? run.error : null;
  const errors: FieldErrors = Object.fromEntries(Object.entries(failure?.fieldErrors ?? {}).map(([k, v]) => [k.replace(/^input\.?/, ""), v]));

  return (
    <form onSubmit={submit} className="space-y-5" noValidate>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600">Fill in the input, or start from the example.</p>
        <Button type="button" variant="secondary" onClick={useExample}>
          Use example
        </Button>
      </div>
      {versions && (versions.versions.length > 1 || versions.pin) && (
        <VersionSelect
          versions={versions}
          value={version}
          onChange={(v) => {
            idempotencyKey.current = null; // another version is another run
            setVersion(v);
          }}
        />
      )}
      <SchemaField key={formKey} schema={schema} name="input" path="" value={value} onChange={change} errors={errors} required />
      {run.error && (
        <Alert tone="error">
          {run.error.message}
          {failure?.code === "unauthenticated" && " Sign in again to run agents."}
        </Alert>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" pending={run.isPending || run.isSuccess}>
          {run.isPending || run.isSuccess ? "Starting…" : "Run agent"}
        </Button>
        <RunQuote agent={agent} input={valid(value) ? value : undefined} />
      </div>
    </form>
  );
}
