import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { countOf, formatDuration, formatUsd } from "@/components/ui/format";
import { TableHead } from "@/components/ui/table-head";
import { versionStats, type VersionStats } from "@/lib/packages/version-stats";

// The agent page's "Versions" section (issue 20): each published or yanked
// version's stats over the last 90 days (lib/packages/version-stats.ts) — a
// small inline-SVG bar chart of runs (successful part filled) per version, and
// a table that stacks into cards at phone width.

type Version = VersionStats["versions"][number];

const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 100)} %`);
const ms = (v: number | null) => (v === null ? "—" : formatDuration(v));
const usd = (v: number | null) => (v === null ? "—" : formatUsd(v));

/** The section for `slug`, read on the server (the rollup, a few rows per version). */
export async function AgentVersions({ slug }: { slug: string }) {
  return <VersionsSection stats={await versionStats(slug)} />;
}

export function VersionsSection({ stats }: { stats: VersionStats }) {
  const { versions, windowDays } = stats;
  return (
    <Card title="Versions" description={`Each version's runs over the last ${windowDays} days. Percentiles come from histograms: within about 40 % of the exact value.`}>
      <div className="space-y-4" data-testid="versions-section">
        {versions.some((v) => v.stats.runs > 0) ? <VersionsChart versions={versions} /> : <EmptyState title="No runs in the last 90 days">Stats appear here once runs of this agent have ended.</EmptyState>}
        {/* Focusable, so a keyboard can scroll it when it is wider than the card (the table holds no link to tab to). */}
        <div className="sm:overflow-x-auto" tabIndex={0} role="region" aria-label="Versions and their stats">
          <table className="table-stack w-full text-left text-sm sm:min-w-[40rem]">
            <TableHead className="border-b border-slate-200" cellClassName="px-2 py-2" columns={["Version", "Runs", "Succeeded", "Failures (provider / input / platform)", "Duration p50 / p95", "Price p50 / p95"]} />
            <tbody className="divide-y divide-slate-100">
              {versions.map((v) => (
                <tr key={v.version} data-testid="version-row">
                  <td data-label="Version" className="px-2 py-2">
                    <span className="font-mono">{v.version}</span> {v.status === "YANKED" && <Badge tone="warning">yanked</Badge>}
                    <span className="block text-xs text-slate-500">{new Date(v.publishedAt).toLocaleDateString("en", { dateStyle: "medium", timeZone: "UTC" })}</span>
                    {v.yank?.reason && <span className="block text-xs text-amber-800">{v.yank.reason}</span>}
                  </td>
                  <td data-label="Runs" className="px-2 py-2 tabular-nums">{v.stats.runs}</td>
                  <td data-label="Succeeded" className="px-2 py-2 tabular-nums">{percent(v.stats.successRate)}</td>
                  <td data-label="Failures" className="px-2 py-2 tabular-nums">
                    {v.stats.failures.provider} / {v.stats.failures.consumerInput} / {v.stats.failures.platform}
                  </td>
                  <td data-label="Duration" className="px-2 py-2 tabular-nums">
                    {ms(v.stats.p50DurationMs)} / {ms(v.stats.p95DurationMs)}
                  </td>
                  <td data-label="Price" className="px-2 py-2 tabular-nums">
                    {usd(v.stats.p50PriceMicros)} / {usd(v.stats.p95PriceMicros)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </Card>
  );
}

const BAR = 18;
const GAP = 8;
const LABEL = 64;

/** Horizontal bars, newest version on top: the full bar is its runs, the dark part its successful runs. */
function VersionsChart({ versions }: { versions: Version[] }) {
  const shown = versions.slice(0, 8);
  const max = Math.max(1, ...shown.map((v) => v.stats.runs));
  const height = shown.length * (BAR + GAP);
  const summary = shown.map((v) => `${v.version}: ${countOf(v.stats.runs, "run")}, ${percent(v.stats.successRate)} succeeded`).join("; ");
  return (
    <figure className="text-xs">
      <svg viewBox={`0 0 400 ${height}`} className="h-auto w-full" role="img" aria-label={`Runs per version: ${summary}`}>
        {shown.map((v, i) => {
          const y = i * (BAR + GAP);
          const width = ((400 - LABEL - 48) * v.stats.runs) / max;
          const ok = ((400 - LABEL - 48) * v.stats.succeeded) / max;
          return (
            <g key={v.version}>
              <text x={LABEL - 6} y={y + BAR / 2} dominantBaseline="middle" textAnchor="end" className="fill-slate-600 font-mono" fontSize={11}>
                {v.version}
              </text>
              <rect x={LABEL} y={y} width={Math.max(width, 1)} height={BAR} rx={2} className="fill-slate-200" />
              <rect x={LABEL} y={y} width={ok} height={BAR} rx={2} className="fill-emerald-600" />
              <text x={LABEL + Math.max(width, 1) + 4} y={y + BAR / 2} dominantBaseline="middle" className="fill-slate-600" fontSize={11}>
                {v.stats.runs}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-3 text-slate-500">
        <span>
          <span className="mr-1 inline-block h-2 w-3 rounded-sm bg-emerald-600 align-middle" aria-hidden />
          succeeded
        </span>
        <span>
          <span className="mr-1 inline-block h-2 w-3 rounded-sm bg-slate-200 align-middle" aria-hidden />
          other outcomes
        </span>
      </figcaption>
    </figure>
  );
}
