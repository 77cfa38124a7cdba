"use client";

import { parse } from "csv-parse/browser/esm/sync";
import Link from "next/link";
import { chunkHref } from "@/components/documents/use-documents";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Badge } from "@/components/ui/badge";
import { downloadFile } from "@/components/ui/download-file";
import { countOf, humanize } from "@/components/ui/format";
import { KeyValueList } from "@/components/ui/key-value-list";
import { Markdown } from "@/components/ui/markdown";
import { chartSpecSchema, type ChartSpec } from "@/lib/agents/report-generator/chart-spec";
import { Chart } from "./chart";

// The final output, rendered by what it contains: findings as a table, CSV as
// a table preview, chart specs as charts, prose fields as sanitized markdown;
// always the raw JSON too.

// Findings come as { file, line, explanation } (code) or { object, path, line, message } (manifests).
type Finding = { severity: string; line: number; rule: string; fix: string; file?: string; explanation?: string; object?: string; path?: string; message?: string };
type Control = { id: string; title: string; status: string; findings: { line: number; time: string; actor: string; detail: string }[] };
const SEVERITY_TONE = { critical: "danger", high: "danger", medium: "brand", low: "neutral" } as const;
const PROSE_KEYS = ["summary", "report", "answer", "reply", "probableCause", "result", "reason", "notes", "markdown"];
const LIST_KEYS = ["remediation", "reasons", "rolloutPlan"];
const CITATION_KEYS = ["citations", "runbooks"];

type Citation = { documentId: string; chunkId: string; title: string; heading?: string; quote?: string };
const isCitations = (v: unknown): v is Citation[] => Array.isArray(v) && v.length > 0 && v.every((c) => c && typeof c === "object" && "documentId" in c && "chunkId" in c);
/** Short scalar fields (category, priority, team, severity, confidence…) shown as facts; a title is the output's heading instead. */
const facts = (obj: Record<string, unknown>) =>
  Object.entries(obj).filter(([k, v]) => k !== "title" && !PROSE_KEYS.includes(k) && (typeof v === "number" || typeof v === "boolean" || (typeof v === "string" && v.length <= 80)));
const plainHeading = (text: string) => text.replace(/[*_`]/g, "").trim().toLowerCase();
/** Prose without a leading markdown heading that repeats the title shown above it. */
const withoutTitle = (markdown: string, title: string | null) =>
  title ? markdown.replace(/^\s*#{1,6}[ \t]+(.*)(\n|$)/, (line, heading: string) => (plainHeading(heading) === plainHeading(title) ? "" : line)) : markdown;
const PREVIEW_ROWS = 50;

/** The valid chart specs in an output field (anything else stays in the raw JSON). */
function charts(value: unknown): ChartSpec[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((c) => {
    const parsed = chartSpecSchema.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  });
}

const isFindings = (v: unknown): v is Finding[] => Array.isArray(v) && v.every((f) => f && typeof f === "object" && "severity" in f && "line" in f && ("file" in f || "path" in f));
const isControls = (v: unknown): v is Control[] => Array.isArray(v) && v.every((c) => c && typeof c === "object" && "status" in c && "title" in c && Array.isArray((c as Control).findings));
const STATUS_TONE = { pass: "success", fail: "danger", not_applicable: "neutral" } as const;

export function FindingsTable({ findings }: { findings: Finding[] }) {
  if (!findings.length) return <p className="text-sm text-emerald-700">No findings.</p>;
  return (
    <div className="sm:overflow-x-auto">
      <table className="table-stack w-full text-left text-sm sm:min-w-[40rem]" aria-label="Findings">
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="py-2 pr-3">Severity</th>
            <th className="py-2 pr-3">Location</th>
            <th className="py-2 pr-3">Rule</th>
            <th className="py-2">What and how to fix</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {findings.map((f, i) => (
            <tr key={i}>
              <td data-label="Severity" className="py-2 pr-3">
                <Badge tone={SEVERITY_TONE[f.severity as keyof typeof SEVERITY_TONE] ?? "neutral"}>{f.severity}</Badge>
              </td>
              <td data-label="Location" className="py-2 pr-3 font-mono text-xs">{f.file ? `${f.file}:${f.line}` : `${f.object} · ${f.path} (line ${f.line})`}</td>
              <td data-label="Rule" className="py-2 pr-3 font-mono text-xs">{f.rule}</td>
              <td data-label="What to do" className="py-2">
                <div>
                  <p className="text-slate-800">{f.explanation ?? f.message}</p>
                  <p className="mt-1 text-xs text-slate-500">Fix: {f.fix}</p>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ControlsTable({ controls }: { controls: Control[] }) {
  return (
    <ul className="divide-y divide-slate-100" aria-label="Controls">
      {controls.map((c) => (
        <li key={c.id} className="py-2">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone={STATUS_TONE[c.status as keyof typeof STATUS_TONE] ?? "neutral"}>{c.status.replace("_", " ")}</Badge>
            <span className="font-medium text-slate-900">{c.title}</span>
            <span className="font-mono text-xs text-slate-500">{c.id}</span>
          </div>
          {c.findings.length > 0 && (
            <ul className="mt-1 space-y-0.5 pl-4 text-xs text-slate-600">
              {c.findings.map((f, i) => (
                <li key={i}>
                  line {f.line} · {f.actor} · {f.detail}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

export function CsvPreview({ csv }: { csv: string }) {
  let rows: string[][];
  try {
    rows = parse(csv, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch {
    return <pre className="overflow-auto rounded-md bg-slate-50 p-3 text-xs">{csv}</pre>;
  }
  const [header = [], ...body] = rows;
  return (
    <div className="space-y-2">
      <ScrollRegion label="CSV preview, scrolls sideways" className="rounded-md ring-1 ring-slate-200">
        <table className="w-full text-left text-sm" aria-label="CSV preview">
          <thead className="bg-slate-50 text-xs text-slate-600">
            <tr>
              {header.map((h, i) => (
                <th key={i} className="px-3 py-2 font-semibold">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {body.slice(0, PREVIEW_ROWS).map((r, i) => (
              <tr key={i}>
                {r.map((c, j) => (
                  <td key={j} className="px-3 py-1.5 font-mono text-xs">
                    {c}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <div className="flex items-center justify-between text-xs text-slate-500">
        <span>
          {body.length > PREVIEW_ROWS ? `First ${PREVIEW_ROWS} of ${body.length} rows` : countOf(body.length, "row")}
        </span>
        <button type="button" onClick={() => downloadFile("output.csv", "text/csv", csv)} className="font-medium text-brand-700 underline">
          Download CSV
        </button>
      </div>
    </div>
  );
}

/** The documents an answer relies on; each opens its chunk. */
export function Citations({ citations, title = "Sources" }: { citations: Citation[]; title?: string }) {
  return (
    <div>
      <h3 className="text-sm font-semibold text-slate-800">{title}</h3>
      <ol className="mt-1 list-decimal space-y-1 pl-5 text-sm">
        {citations.map((c, i) => (
          <li key={`${c.chunkId}-${i}`} data-testid="citation">
            <Link href={chunkHref(c.documentId, c.chunkId)} className="font-medium text-brand-700 hover:underline">
              {c.title}
              {c.heading ? ` › ${c.heading}` : ""}
            </Link>
            {c.quote && <p className="text-slate-600">&ldquo;{c.quote}&rdquo;</p>}
          </li>
        ))}
      </ol>
    </div>
  );
}

export function RunOutput({ output }: { output: unknown }) {
  const obj = output && typeof output === "object" && !Array.isArray(output) ? (output as Record<string, unknown>) : null;
  const scalars = obj ? facts(obj) : [];
  const title = obj && typeof obj.title === "string" && obj.title.trim() ? obj.title.trim() : null;
  return (
    <div className="space-y-4">
      {title && <h3 className="text-base font-semibold text-slate-900">{title}</h3>}
      {scalars.length > 0 && <KeyValueList className="max-w-md" rows={scalars.map(([k, v]) => [humanize(k), String(v)])} />}
      {obj &&
        PROSE_KEYS.filter((k) => typeof obj[k] === "string" && obj[k]).map((k) => (
          <div key={k}>
            <Markdown>{withoutTitle(obj[k] as string, title)}</Markdown>
          </div>
        ))}
      {obj &&
        LIST_KEYS.filter((k) => Array.isArray(obj[k]) && (obj[k] as unknown[]).length && (obj[k] as unknown[]).every((x) => typeof x === "string")).map((k) => (
          <div key={k}>
            <h3 className="text-sm font-semibold text-slate-800">{humanize(k)}</h3>
            <ol className="mt-1 list-decimal space-y-1 pl-5 text-sm text-slate-700">
              {(obj[k] as string[]).map((item, i) => (
                <li key={i}>{item}</li>
              ))}
            </ol>
          </div>
        ))}
      {obj && CITATION_KEYS.map((k) => isCitations(obj[k]) && <Citations key={k} citations={obj[k]} title={k === "runbooks" ? "Runbooks" : "Sources"} />)}
      {obj && isFindings(obj.findings) && <FindingsTable findings={obj.findings} />}
      {obj && isControls(obj.controls) && <ControlsTable controls={obj.controls} />}
      {obj && typeof obj.csv === "string" && <CsvPreview csv={obj.csv} />}
      {obj && charts(obj.charts).map((c, i) => <Chart key={i} spec={c} />)}
      <details>
        <summary className="cursor-pointer text-sm font-medium text-slate-700">Raw output (JSON)</summary>
        <pre className="mt-2 max-h-96 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{JSON.stringify(output, null, 2)}</pre>
      </details>
    </div>
  );
}
